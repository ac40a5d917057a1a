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
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
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
    counters(registry).errorsSent.computeIfAbsent(code,
        c -> registry.counter("agenthub.errors.sent", "code", c.name())).increment();
  }

  /**
   * An upgrade refused before a socket existed; reason max_connections, max_connections_per_address or
   * origin_not_allowed.
   */
  public static void connectionRefused(MeterRegistry registry, String reason) {
    counters(registry).connectionsRefused.computeIfAbsent(reason,
        r -> registry.counter("agenthub.connections.refused", "reason", r)).increment();
  }

  /**
   * A socket the hub closed for breaking a transport rule or never registering, by close code (1002, 1007, 1008, 1009).
   */
  public static void closedByHub(MeterRegistry registry, int closeCode) {
    counters(registry).closedByHub.computeIfAbsent(closeCode,
        c -> registry.counter("agenthub.sockets.closed_by_hub", "code", String.valueOf(c))).increment();
  }

  public static void forwarded(MeterRegistry registry, ClientRole role) {
    counters(registry).forwarded.computeIfAbsent(role,
        r -> registry.counter("agenthub.messages.forwarded", "role", r.connectionType())).increment();
  }

  public static void routed(MeterRegistry registry, String route) {
    counters(registry).routed.computeIfAbsent(route,
        r -> registry.counter("agenthub.messages.routed", "route", r)).increment();
  }

  public static void deadLettered(MeterRegistry registry, String reason) {
    counters(registry).deadLettered.computeIfAbsent(reason,
        r -> registry.counter("agenthub.messages.dead_lettered", "reason", r)).increment();
  }

  /** Protocol extension "session resume": a message for an away frontend or broker, parked in its resume queue. */
  public static void parked(MeterRegistry registry) {
    counters(registry).untagged("agenthub.messages.parked", registry).increment();
  }

  /** A redelivered message this instance had already settled, acknowledged without a second delivery. */
  public static void redeliverySkipped(MeterRegistry registry) {
    counters(registry).untagged("agenthub.messages.redeliveries_skipped", registry).increment();
  }

  /**
   * A redelivered message routed again after this instance's publish of it to an agent's queue went unconfirmed:
   * the agent may have it twice, and recognises the second by its {@code x-hub-delivery-key}.
   */
  public static void republished(MeterRegistry registry) {
    counters(registry).untagged("agenthub.messages.republished", registry).increment();
  }

  /**
   * A frame from {@code broker_output_queue} (direct or monitoring copy) not written to a socket that already got
   * it: the message was redelivered and routed again, on this instance or another.
   */
  public static void duplicateSuppressed(MeterRegistry registry) {
    counters(registry).untagged("agenthub.messages.duplicates_suppressed", registry).increment();
  }

  public static void configRejected(MeterRegistry registry) {
    counters(registry).untagged("agenthub.config.rejected", registry).increment();
  }

  public static void configApplied(MeterRegistry registry) {
    counters(registry).untagged("agenthub.config.applied", registry).increment();
  }

  /**
   * The counters already registered in one registry, by tag value. {@code registry.counter(name, tags)} builds an id
   * and goes through {@code registerMeterIfNecessary} on every call, which was ≈ 6 % of the hub's CPU per chat
   * message in the legacy workload's profile. Maps, not EnumMaps, because gateway instances on several event loops
   * and the bridge count at once; {@code computeIfAbsent} registers a meter on first use only, so a tag value never
   * counted still has no series (as before). Removing a meter from a registry is something the hub never does.
   */
  private static final class Counters {
    final Map<ErrorCode, Counter> errorsSent = new ConcurrentHashMap<>();
    final Map<String, Counter> connectionsRefused = new ConcurrentHashMap<>();
    final Map<Integer, Counter> closedByHub = new ConcurrentHashMap<>();
    final Map<ClientRole, Counter> forwarded = new ConcurrentHashMap<>();
    final Map<String, Counter> routed = new ConcurrentHashMap<>();
    final Map<String, Counter> deadLettered = new ConcurrentHashMap<>();
    private final Map<String, Counter> untagged = new ConcurrentHashMap<>();

    Counter untagged(String name, MeterRegistry registry) {
      return untagged.computeIfAbsent(name, registry::counter);
    }
  }

  private record LastUsed(MeterRegistry registry, Counters counters) {
  }

  /** Weak keys: tests build many registries in one JVM; a process normally has one, found in {@link #lastUsed}. */
  private static final Map<MeterRegistry, Counters> COUNTERS = Collections.synchronizedMap(new WeakHashMap<>());
  private static volatile LastUsed lastUsed;

  private static Counters counters(MeterRegistry registry) {
    LastUsed last = lastUsed;
    if (last != null && last.registry() == registry) {
      return last.counters();
    }
    Counters counters = COUNTERS.computeIfAbsent(registry, r -> new Counters());
    lastUsed = new LastUsed(registry, counters);
    return counters;
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
