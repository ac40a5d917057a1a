package io.agenthub.gateway;

import io.agenthub.bus.Addresses;
import io.agenthub.bus.BridgeStatus;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.CheckResult;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * This instance's health as vertx-health-check procedures, one per concern, each answered by the verticle that owns
 * it: {@code rabbitmq} (the bridge's link, DOWN while it is not connected), {@code config} (the configuration state;
 * never DOWN, since a rejected change leaves the last good one in force) and {@code connections} (this gateway's
 * sockets by role). Readiness is all three; liveness is the gateway answering HTTP at all.
 */
final class LocalHealth {
  static final String RABBITMQ = "rabbitmq";
  static final String CONFIG = "config";
  static final String CONNECTIONS = "connections";
  private static final long ASK_TIMEOUT_MS = 2_000;
  /** Longer than a bus request, so that a verticle that does not answer is reported with its error, not as a 500. */
  private static final long PROCEDURE_TIMEOUT_MS = ASK_TIMEOUT_MS + 1_000;
  private static final DeliveryOptions QUICK = new DeliveryOptions().setSendTimeout(ASK_TIMEOUT_MS);

  private final Vertx vertx;
  private final HealthChecks readiness;
  private final HealthChecks liveness;

  LocalHealth(Vertx vertx, Supplier<Map<String, Integer>> connectionCounts) {
    this.vertx = vertx;
    readiness = HealthChecks.create(vertx)
        .register(RABBITMQ, PROCEDURE_TIMEOUT_MS, this::rabbitmq)
        .register(CONFIG, PROCEDURE_TIMEOUT_MS, this::config)
        .register(CONNECTIONS, promise -> promise.complete(Status.OK(counts(connectionCounts.get()))));
    liveness = HealthChecks.create(vertx).register("gateway", promise -> promise.complete(Status.OK()));
  }

  /** Always succeeds. */
  Future<CheckResult> readiness() {
    return readiness.checkStatus();
  }

  /**
   * {@code /health/ready}'s body: the library's report ({@code status}, {@code checks}, {@code outcome}) with each
   * check's data also at the top level under the check's id, where clients read {@code rabbitmq}, {@code config}
   * and {@code connections}.
   */
  static JsonObject readinessDocument(CheckResult result) {
    JsonObject document = result.toJson();
    result.getChecks().forEach(check -> document.put(check.getId(), data(result, check.getId())));
    return document;
  }

  /** {@code /health} and {@code /health/live}: 200 {@code "status":"UP"} while the gateway serves HTTP. */
  HealthCheckHandler livenessHandler() {
    return HealthCheckHandler.createWithHealthChecks(liveness);
  }

  /** The data a check reported, or an empty object when it reported none. */
  static JsonObject data(CheckResult result, String id) {
    List<CheckResult> checks = result.getChecks() == null ? List.of() : result.getChecks();
    return checks.stream().filter(check -> id.equals(check.getId())).findFirst()
        .map(CheckResult::getData).orElseGet(JsonObject::new);
  }

  private void rabbitmq(Promise<Status> promise) {
    ask(Addresses.BRIDGE_STATUS).onComplete(
        status -> promise.complete(new Status().setOk(BridgeStatus.fromJson(status).connected()).setData(status)),
        e -> promise.complete(Status.KO(new JsonObject().put("connected", false).put("error", e.getMessage()))));
  }

  private void config(Promise<Status> promise) {
    ask(Addresses.CONFIG_STATUS).onComplete(
        status -> promise.complete(Status.OK(status)),
        e -> promise.complete(Status.OK(new JsonObject().put("error", e.getMessage()))));
  }

  private static JsonObject counts(Map<String, Integer> byRole) {
    JsonObject counts = new JsonObject();
    byRole.forEach(counts::put);
    return counts;
  }

  private Future<JsonObject> ask(String address) {
    return vertx.eventBus().<JsonObject>request(address, new JsonObject(), QUICK).map(reply -> reply.body());
  }
}
