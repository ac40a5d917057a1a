package io.agenthub.gateway;

import io.agenthub.HubMetrics;
import io.agenthub.bus.Addresses;
import io.agenthub.config.HubConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.CorsHandler;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The HTTP side of the gateway: {@code GET /} (the probe old clients use), {@code /health} (liveness),
 * {@code /health/ready} (RabbitMQ connected, configuration state) and {@code /metrics} (Prometheus).
 */
final class HttpEndpoints {
  private static final DeliveryOptions QUICK = new DeliveryOptions().setSendTimeout(2_000);

  private final Vertx vertx;
  private final Supplier<HubConfig> config;
  private final Supplier<OriginPolicy> origins;
  private final Supplier<Map<String, Integer>> connectionCounts;
  private OriginPolicy corsBuiltFor;
  private CorsHandler cors;

  HttpEndpoints(Vertx vertx, Supplier<HubConfig> config, Supplier<OriginPolicy> origins,
      Supplier<Map<String, Integer>> connectionCounts) {
    this.vertx = vertx;
    this.config = config;
    this.origins = origins;
    this.connectionCounts = connectionCounts;
  }

  Router router() {
    Router router = Router.router(vertx);
    router.route().handler(this::cors);
    router.get("/").handler(this::root);
    router.get("/health").handler(ctx -> json(ctx, 200, new JsonObject().put("status", "UP")));
    router.get("/health/ready").handler(this::ready);
    router.get("/metrics").handler(ctx -> ctx.response()
        .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
        .end(HubMetrics.scrape()));
    return router;
  }

  /** Rebuilt only when the allowed origins change (live configuration). */
  private void cors(RoutingContext ctx) {
    OriginPolicy current = origins.get();
    if (!current.equals(corsBuiltFor)) {
      CorsHandler handler = CorsHandler.create().allowedMethod(HttpMethod.GET).allowedMethod(HttpMethod.OPTIONS);
      if (current.allowsAll()) {
        handler.addOrigin("*");
      } else {
        handler.addOrigins(current.allowedOrigins());
      }
      cors = handler;
      corsBuiltFor = current;
    }
    cors.handle(ctx);
  }

  private void root(RoutingContext ctx) {
    json(ctx, 200, new JsonObject()
        .put("status", "running")
        .put("message", "Agent Hub WebSocket server is running")
        .put("websocket_url", config.get().publicWebSocketUrl()));
  }

  private void ready(RoutingContext ctx) {
    Future<JsonObject> bridge = vertx.eventBus().<JsonObject>request(Addresses.BRIDGE_STATUS, new JsonObject(), QUICK)
        .map(reply -> reply.body())
        .otherwise(e -> new JsonObject().put("connected", false).put("error", e.getMessage()));
    Future<JsonObject> configuration = vertx.eventBus().<JsonObject>request(Addresses.CONFIG_STATUS, new JsonObject(), QUICK)
        .map(reply -> reply.body())
        .otherwise(e -> new JsonObject().put("error", e.getMessage()));
    Future.join(bridge, configuration).onComplete(done -> {
      boolean up = bridge.result().getBoolean("connected", false);
      JsonObject connections = new JsonObject();
      connectionCounts.get().forEach(connections::put);
      json(ctx, up ? 200 : 503, new JsonObject()
          .put("status", up ? "UP" : "DOWN")
          .put("rabbitmq", bridge.result())
          .put("config", configuration.result())
          .put("connections", connections));
    });
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
  }
}
