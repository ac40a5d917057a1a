package io.agenthub.gateway;

import io.agenthub.metrics.HubMetrics;
import io.agenthub.config.HubConfig;
import io.agenthub.config.Setting;
import io.agenthub.protocol.ClientRole;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.CheckResult;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.CorsHandler;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The HTTP side of the gateway: {@code GET /} (the probe old clients use), {@code /health} and {@code /health/live}
 * (liveness), {@code /health/ready} (RabbitMQ connected, configuration state, sockets; see {@link LocalHealth}),
 * {@code /metrics} (Prometheus),
 * {@code /api/status} (the deployment, read-only), {@code /api/agents} and {@code /api/agents/{id}/card}
 * ({@link AgentEndpoints}), {@code POST /api/streams/{id}/cancel} (an operator cancels a stream) and {@code /console}
 * (the operator's page, static files).
 */
final class HttpEndpoints {
  /** The console loads only its own files and talks only to this hub. */
  private static final String CONSOLE_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
      + "img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  private final Vertx vertx;
  private final Supplier<HubConfig> config;
  private final Supplier<OriginPolicy> origins;
  private final LocalHealth health;
  private final HubStatus status;
  private final AgentEndpoints agents;
  private OriginPolicy corsBuiltFor;
  private CorsHandler cors;

  HttpEndpoints(Vertx vertx, Supplier<HubConfig> config, Supplier<OriginPolicy> origins,
      Supplier<Map<String, Integer>> connectionCounts, HubStatus status) {
    this.vertx = vertx;
    this.config = config;
    this.origins = origins;
    this.health = new LocalHealth(vertx, connectionCounts);
    this.status = status;
    this.agents = new AgentEndpoints(vertx.eventBus(), () -> config.get().publicWebSocketUrl());
  }

  Router router() {
    Router router = Router.router(vertx);
    router.route().handler(this::cors);
    router.get("/").handler(this::root);
    router.get("/health").handler(health.livenessHandler());
    router.get("/health/live").handler(health.livenessHandler());
    router.get("/health/ready").handler(this::ready);
    router.get("/metrics").handler(PrometheusScrapingHandler.create(HubMetrics.registry()));
    router.get("/api/status").handler(this::guarded).handler(this::status);
    router.get("/api/agents").handler(this::guarded).handler(agents::list);
    router.get("/api/agents/:id/card").handler(this::guarded).handler(agents::card);
    router.post("/api/streams/:id/cancel").handler(new StreamCancelEndpoint(vertx.eventBus(), config));
    router.get("/console").handler(this::consoleFolder);
    router.get("/console/*").handler(this::consoleHeaders)
        .handler(StaticHandler.create("console").setCachingEnabled(false));
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

  /** 200 while every readiness check is UP, else 503, as vertx-health-check's own handler answers. */
  private void ready(RoutingContext ctx) {
    health.readiness().onSuccess(checks ->
        json(ctx, CheckResult.isUp(checks) ? 200 : 503, LocalHealth.readinessDocument(checks)));
  }

  /** Frontend credentials guard the API: with FRONTEND_TOKENS set, {@code Authorization: Bearer} one of them. */
  private void guarded(RoutingContext ctx) {
    if (!Credentials.accepts(config.get().strings(Setting.FRONTEND_TOKENS),
        Credentials.presented(new JsonObject(), ctx.request().getHeader(HttpHeaders.AUTHORIZATION)))) {
      ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"agent-hub\"");
      json(ctx, 401, new JsonObject().put("error", "A valid frontend token is required as Authorization: Bearer"));
      return;
    }
    ctx.next();
  }

  private void status(RoutingContext ctx) {
    status.cluster().onComplete(
        document -> json(ctx, 200, document),
        e -> json(ctx, 503, new JsonObject().put("error", "Status unavailable: " + e.getMessage())));
  }

  /** The page's relative links need the trailing slash; the route matches both spellings, so only one redirects. */
  private void consoleFolder(RoutingContext ctx) {
    if (ctx.request().path().endsWith("/")) {
      ctx.next();
    } else {
      ctx.redirect("/console/");
    }
  }

  private void consoleHeaders(RoutingContext ctx) {
    ctx.response()
        .putHeader("Content-Security-Policy", CONSOLE_POLICY)
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Referrer-Policy", "no-referrer");
    ctx.next();
  }

  static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
  }
}
