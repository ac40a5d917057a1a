package io.agenthub.gateway;

import io.agenthub.bus.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;

/** This instance's RabbitMQ connection and configuration state, as {@code /health/ready} and {@code /api/status} report them. */
record LocalHealth(JsonObject rabbitmq, JsonObject config) {
  private static final DeliveryOptions QUICK = new DeliveryOptions().setSendTimeout(2_000);

  /** Always succeeds: a verticle that does not answer is reported with its error. */
  static Future<LocalHealth> read(Vertx vertx) {
    Future<JsonObject> bridge = vertx.eventBus().<JsonObject>request(Addresses.BRIDGE_STATUS, new JsonObject(), QUICK)
        .map(reply -> reply.body())
        .otherwise(e -> new JsonObject().put("connected", false).put("error", e.getMessage()));
    Future<JsonObject> configuration = vertx.eventBus().<JsonObject>request(Addresses.CONFIG_STATUS, new JsonObject(), QUICK)
        .map(reply -> reply.body())
        .otherwise(e -> new JsonObject().put("error", e.getMessage()));
    return Future.join(bridge, configuration).transform(done ->
        Future.succeededFuture(new LocalHealth(bridge.result(), configuration.result())));
  }

  /** Ready while RabbitMQ is connected. */
  boolean ready() {
    return rabbitmq.getBoolean("connected", false);
  }
}
