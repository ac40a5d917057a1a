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
  private long framesDelivered;
  private long hubWireBytes = -1;

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

  /** Frames the frontends received during the window, monitoring copies included. */
  void framesDelivered(long frames) {
    framesDelivered = frames;
  }

  /** Bytes the hub's WebSocket port sent during the window ({@link WireBytes}), -1 when not measured. */
  void hubWireBytes(long bytes) {
    hubWireBytes = bytes;
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
        .put("frames_delivered_per_s", Math.round(framesDelivered / window.seconds()))
        .put("cpu_cores_used", coresUsed)
        .put("cpu_ms_per_round_trip", perRoundTrip())
        .put("hub_cpu_us_per_frame_delivered", hubMicrosPerFrame())
        .put("hub_wire_bytes_per_frame_delivered",
            hubWireBytes < 0 || framesDelivered == 0 ? null : Math.round(10.0 * hubWireBytes / framesDelivered) / 10.0);
  }

  /** Cores used ÷ round trips per second, for every process measured: CPU milliseconds each spent per round trip. */
  private JsonObject perRoundTrip() {
    JsonObject perTrip = new JsonObject();
    double perSecond = perSecond();
    coresUsed.fieldNames().forEach(name -> perTrip.put(name,
        perSecond == 0 ? 0 : Math.round(coresUsed.getDouble(name) / perSecond * 1e6) / 1000.0));
    return perTrip;
  }

  private Double hubMicrosPerFrame() {
    Double hub = coresUsed.getDouble("hub");
    double framesPerSecond = framesDelivered / window.seconds();
    return hub == null || framesPerSecond == 0 ? null : Math.round(hub / framesPerSecond * 1e7) / 10.0;
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
