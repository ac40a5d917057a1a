package io.agenthub;

import io.agenthub.protocol.ClientRole;
import io.agenthub.protocol.ErrorCode;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.micrometer.backends.BackendRegistries;
import java.util.function.Supplier;

/** The hub's own meters, next to the Vert.x ones in the same Prometheus registry. */
public final class HubMetrics {

  private HubMetrics() {
  }

  public static PrometheusMeterRegistry newPrometheusRegistry() {
    return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  }

  /** Counts in-process when Vert.x runs without the metrics backend (an embedded hub, as in tests). */
  private static final MeterRegistry EMBEDDED = new SimpleMeterRegistry();

  /** The registry Vert.x was built with, or an in-process one when Vert.x has no metrics backend. */
  public static MeterRegistry registry() {
    MeterRegistry registry = BackendRegistries.getDefaultNow();
    return registry != null ? registry : EMBEDDED;
  }

  /** Prometheus text of the registry, or an empty page when it is not a Prometheus one. */
  public static String scrape() {
    return registry() instanceof PrometheusMeterRegistry prometheus ? prometheus.scrape() : "";
  }

  public static void gaugeConnections(MeterRegistry registry, Supplier<Number> sockets) {
    Gauge.builder("agenthub.sockets.open", sockets).description("WebSockets open on this instance").register(registry);
  }

  public static void frameRefused(MeterRegistry registry, ErrorCode code) {
    registry.counter("agenthub.errors.sent", "code", code.name()).increment();
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

  public static void configRejected(MeterRegistry registry) {
    registry.counter("agenthub.config.rejected").increment();
  }

  public static void configApplied(MeterRegistry registry) {
    registry.counter("agenthub.config.applied").increment();
  }
}
