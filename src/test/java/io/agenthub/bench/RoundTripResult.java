package io.agenthub.bench;

import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/** Round trips of all frontends of one phase, merged. */
final class RoundTripResult {
  private final RunWindow window;
  private final JsonObject coresUsed;
  private final Histogram latencyMicros = newHistogram();
  private long completed;
  private long errors;
  private long timeouts;

  RoundTripResult(RunWindow window, JsonObject coresUsed) {
    this.window = window;
    this.coresUsed = coresUsed;
  }

  static Histogram newHistogram() {
    return new Histogram(TimeUnit.MINUTES.toMicros(1), 3);
  }

  void add(long completed, long errors, long timeouts, Histogram latencies) {
    this.completed += completed;
    this.errors += errors;
    this.timeouts += timeouts;
    latencyMicros.add(latencies);
  }

  long errors() {
    return errors + timeouts;
  }

  double perSecond() {
    return completed / window.seconds();
  }

  double p99Millis() {
    return millis(latencyMicros.getValueAtPercentile(99));
  }

  JsonObject toJson() {
    return new JsonObject()
        .put("round_trips", completed)
        .put("round_trips_per_s", Math.round(perSecond() * 10) / 10.0)
        .put("latency_ms", latencyJson(latencyMicros))
        .put("errors", errors)
        .put("timeouts", timeouts)
        .put("cpu_cores_used", coresUsed);
  }

  static JsonObject latencyJson(Histogram micros) {
    return new JsonObject()
        .put("p50", millis(micros.getValueAtPercentile(50)))
        .put("p99", millis(micros.getValueAtPercentile(99)))
        .put("p99.9", millis(micros.getValueAtPercentile(99.9)))
        .put("max", millis(micros.getMaxValue()));
  }

  static double millis(long micros) {
    return Math.round(micros / 10.0) / 100.0;
  }
}
