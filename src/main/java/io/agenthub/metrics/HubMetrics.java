package io.agenthub.metrics;

import io.agenthub.protocol.ClientRole;
import io.agenthub.protocol.ErrorCode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.backends.BackendRegistries;
import java.util.function.Supplier;

/** The hub's own meters, next to the Vert.x ones in the same Prometheus registry. */
public final class HubMetrics {

  private HubMetrics() {
  }

  public static PrometheusMeterRegistry newPrometheusRegistry() {
    return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  }

  /**
   * Counts in-process when Vert.x runs without the metrics backend (an embedded hub, as in tests); a Prometheus one,
   * so that {@code /metrics} serves the hub's own meters there too.
   */
  private static final PrometheusMeterRegistry EMBEDDED = newPrometheusRegistry();

  /** The registry Vert.x was built with, or an in-process one when Vert.x has no Prometheus metrics backend. */
  public static PrometheusMeterRegistry registry() {
    return BackendRegistries.getDefaultNow() instanceof PrometheusMeterRegistry prometheus ? prometheus : EMBEDDED;
  }

  public static void gaugeConnections(MeterRegistry registry, Supplier<Number> sockets) {
    Gauge.builder("agenthub.sockets.open", sockets).description("WebSockets open on this instance").register(registry);
  }

  /** 1 while the bridge uses the hub's embedded broker, 0 while it uses an external RabbitMQ. */
  public static void gaugeEmbeddedBroker(MeterRegistry registry, Supplier<Number> embedded) {
    Gauge.builder("agenthub.rabbitmq.embedded", embedded)
        .description("1 while the hub uses its embedded AMQP broker, 0 while it uses an external RabbitMQ")
        .register(registry);
  }

  public static void frameRefused(MeterRegistry registry, ErrorCode code) {
    registry.counter("agenthub.errors.sent", "code", code.name()).increment();
  }

  /** An upgrade refused before a socket existed; reason max_connections, max_connections_per_address or origin_not_allowed. */
  public static void connectionRefused(MeterRegistry registry, String reason) {
    registry.counter("agenthub.connections.refused", "reason", reason).increment();
  }

  /** A socket the hub closed for breaking a transport rule or never registering, by close code (1002, 1007, 1008, 1009). */
  public static void closedByHub(MeterRegistry registry, int closeCode) {
    registry.counter("agenthub.sockets.closed_by_hub", "code", String.valueOf(closeCode)).increment();
  }

  public static void forwarded(MeterRegistry registry, ClientRole role) {
    registry.counter("agenthub.messages.forwarded", "role", role.connectionType()).increment();
  }

  public static void routed(MeterRegistry registry, String route) {
    registry.counter("agenthub.messages.routed", "route", route).increment();
  }

  public static void deadLettered(MeterRegistry registry, String reason) {
    registry.counter("agenthub.messages.dead_lettered", "reason", reason).increment();
  }

  /** Protocol extension "session resume": a message for an away frontend or broker, parked in its resume queue. */
  public static void parked(MeterRegistry registry) {
    registry.counter("agenthub.messages.parked").increment();
  }

  /** A redelivered message this instance had already settled, acknowledged without a second delivery. */
  public static void redeliverySkipped(MeterRegistry registry) {
    registry.counter("agenthub.messages.redeliveries_skipped").increment();
  }

  /**
   * A frame from {@code broker_output_queue} (direct or monitoring copy) not written to a socket that already got
   * it: the message was redelivered and routed again, on this instance or another.
   */
  public static void duplicateSuppressed(MeterRegistry registry) {
    registry.counter("agenthub.messages.duplicates_suppressed").increment();
  }

  public static void configRejected(MeterRegistry registry) {
    registry.counter("agenthub.config.rejected").increment();
  }

  public static void configApplied(MeterRegistry registry) {
    registry.counter("agenthub.config.applied").increment();
  }

  /**
   * The chat and error counters of this process for {@code /api/status}, named like their Prometheus series: each a
   * total and, under {@code by_…}, the split by its tag. Readable from any registry, so embedded hubs report too.
   */
  public static JsonObject totals(MeterRegistry registry) {
    JsonObject totals = new JsonObject();
    putCounter(totals, registry, "agenthub.messages.forwarded", "role");
    putCounter(totals, registry, "agenthub.messages.routed", "route");
    putCounter(totals, registry, "agenthub.messages.dead_lettered", "reason");
    putCounter(totals, registry, "agenthub.errors.sent", "code");
    return totals;
  }

  private static void putCounter(JsonObject totals, MeterRegistry registry, String name, String tag) {
    JsonObject split = new JsonObject();
    long total = 0;
    for (Counter counter : registry.find(name).counters()) {
      long count = (long) counter.count();
      String value = String.valueOf(counter.getId().getTag(tag));
      split.put(value, split.getLong(value, 0L) + count);
      total += count;
    }
    String key = name.substring("agenthub.".length()).replace('.', '_');
    totals.put(key + "_total", total).put(key + "_by_" + tag, split);
  }
}
