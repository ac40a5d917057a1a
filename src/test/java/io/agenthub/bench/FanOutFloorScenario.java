package io.agenthub.bench;

import io.agenthub.support.CommandOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * fan-out-floor: the legacy workload's WebSocket side alone. F frontends in closed loop, as in {@code legacy}, against
 * {@link PlainVertxServer}, which writes each TEXT back to every frontend three times (two copies and the REPLY, as
 * the hub's monitoring copies do); no RabbitMQ, no broker, no agent. The server's CPU per frame delivered is what
 * Vert.x's public write path costs per frame and socket, the floor under the hub's {@code hub_cpu_us_per_frame}.
 */
final class FanOutFloorScenario {
  private final Vertx vertx;
  private final CommandOptions options;
  private final double warmupSeconds;
  private final double durationSeconds;
  private final long timeoutMs;
  private final String payload;

  FanOutFloorScenario(Vertx vertx, CommandOptions options) {
    this.vertx = vertx;
    this.options = options;
    this.warmupSeconds = options.decimal("warmup", 5);
    this.durationSeconds = options.decimal("duration", 20);
    this.timeoutMs = options.integer("timeout-ms", 5_000);
    this.payload = "x".repeat(options.integer("payload", 100));
  }

  void run(Path runDir, Consumer<JsonObject> report) throws Exception {
    try (PlainVertxServer.Running server = PlainVertxServer.start(runDir, options.flag("launcher-jvm", true))) {
      WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(10_000)
          .setTryUsePerMessageCompression(true).setCompressionAllowClientNoContext(true));
      List<Integer> frontendCounts = options.integers("frontends", "8,32");
      double jitWarmup = options.decimal("jit-warmup", 30);
      if (jitWarmup > 0) {
        run(client, server, frontendCounts.get(0), () -> new RunWindow(System.nanoTime(),
            System.nanoTime() + (long) (jitWarmup * 1e9)));
      }
      for (int frontends : frontendCounts) {
        RoundTripResult result = run(client, server, frontends,
            () -> RunWindow.after(warmupSeconds, durationSeconds));
        report.accept(new JsonObject().put("scenario", "fan-out-floor").put("frontends", frontends)
            .put("payload_bytes", payload.length()).put("warmup_s", warmupSeconds).put("duration_s", durationSeconds)
            .put("workload", "plain Vert.x writing 3 frames per TEXT to every frontend")
            .mergeIn(result.toJson()));
      }
      Bench.await(client.close());
    }
  }

  private RoundTripResult run(WebSocketClient client, PlainVertxServer.Running server, int frontends,
      Supplier<RunWindow> windowOnceOpen) throws Exception {
    WebSocketFrontends opened = WebSocketFrontends.open(vertx, client, server.webSocketUrl(), frontends, "Floor-",
        windowOnceOpen, timeoutMs, payload);
    RunWindow window = opened.window();
    CpuMeter cpu = new CpuMeter(server.pid());
    vertx.setTimer(Math.max(1, (window.startNanos() - System.nanoTime()) / 1_000_000), t -> cpu.start());
    Bench.await(Future.all(opened.loops().stream().map(ClosedLoopFrontend::run).toList()));
    RoundTripResult result = new RoundTripResult(window, cpu.coresUsed());
    opened.loops().forEach(loop -> loop.addTo(result));
    result.framesDelivered(opened.delivered().sum());
    Bench.await(opened.close());
    return result;
  }
}
