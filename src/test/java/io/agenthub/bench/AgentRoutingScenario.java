package io.agenthub.bench;

import io.agenthub.companion.BrokerCompanion;
import io.agenthub.companion.CompanionSettings;
import io.agenthub.companion.EchoAgentCompanion;
import io.agenthub.companion.EchoOptions;
import io.agenthub.companion.RoutingStats;
import io.agenthub.support.CommandOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * agent-routing: F frontends in closed loop through the hub, the reference broker and four echo agents that each
 * answer one question at a time, one of them ten times slower than the others; once with the broker's random routing
 * (the seed broker's) and once load-aware (protocol extensions "agent cards" and "live load"), under the legacy
 * workload (each answer a REPLY after {@code --work-ms} of work, 10× for the slow agent) and the streams workload (each
 * answer streamed a word a chunk at {@code --stream-rate} words per second, a tenth of it for the slow agent). Reports
 * the round trip, the share of questions the broker sent to a busy agent while another was idle, and the presence
 * traffic a frontend that asked for agent details gets, next to one that did not.
 */
final class AgentRoutingScenario {
  private static final int AGENTS = 4;
  /** What the round-trip scenarios measure and this one does not (no CPU meter, no frame count). */
  private static final List<String> NOT_MEASURED_HERE = List.of("frames_delivered_per_s", "cpu_cores_used",
      "cpu_ms_per_round_trip", "hub_cpu_us_per_frame_delivered", "hub_wire_bytes_per_frame_delivered");

  private final Vertx vertx;
  private final int frontends;
  private final long workMillis;
  private final int streamRate;
  private final double warmupSeconds;
  private final double durationSeconds;
  private final long timeoutMs;
  private final String payload;

  AgentRoutingScenario(Vertx vertx, CommandOptions options) {
    this.vertx = vertx;
    this.frontends = options.integer("routing-frontends", 8);
    this.workMillis = options.integer("work-ms", 20);
    this.streamRate = options.integer("stream-rate", 100);
    this.warmupSeconds = options.decimal("warmup", 5);
    this.durationSeconds = options.decimal("duration", 20);
    this.timeoutMs = options.integer("routing-timeout-ms", 60_000);
    this.payload = IntStream.rangeClosed(1, options.integer("words", 8)).mapToObj(i -> "w" + i)
        .collect(Collectors.joining(" "));
  }

  /** Every workload under both routings, a summary line each. */
  void run(String url, String vhost, Consumer<JsonObject> report) throws Exception {
    CompanionSettings settings = new CompanionSettings(url, "127.0.0.1", 5672, "guest", "guest", vhost);
    for (boolean streams : List.of(false, true)) {
      for (boolean loadAware : List.of(false, true)) {
        report.accept(runOnce(url, settings, streams, loadAware));
      }
    }
  }

  private JsonObject runOnce(String url, CompanionSettings settings, boolean streams, boolean loadAware)
      throws Exception {
    BrokerCompanion broker = Bench.await(BrokerCompanion.start(vertx, settings, loadAware));
    List<EchoAgentCompanion> agents = new ArrayList<>();
    for (int i = 0; i < AGENTS; i++) {
      agents.add(Bench.await(EchoAgentCompanion.start(vertx, settings, agent(i == AGENTS - 1, streams, i))));
    }
    WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(1_000));
    Watcher details = Watcher.open(client, url, "details");
    Watcher contract = Watcher.open(client, url, "full");
    try {
      WebSocketFrontends opened = WebSocketFrontends.open(vertx, client, url, frontends, "Routed-",
          () -> RunWindow.after(warmupSeconds, durationSeconds), timeoutMs, payload);
      RunWindow window = opened.window();
      details.window = window;
      contract.window = window;
      AtomicReference<RoutingStats> atStart = new AtomicReference<>(broker.routingStats());
      vertx.setTimer(Math.max(1, (window.startNanos() - System.nanoTime()) / 1_000_000),
          t -> atStart.set(broker.routingStats()));
      Bench.await(Future.all(opened.loops().stream().map(ClosedLoopFrontend::run).toList()));
      RoutingStats counted = broker.routingStats().since(atStart.get());
      RoundTripResult result = new RoundTripResult(window, new JsonObject());
      opened.loops().forEach(loop -> loop.addTo(result));
      Bench.await(opened.close());
      JsonObject roundTrips = result.toJson();
      NOT_MEASURED_HERE.forEach(roundTrips::remove);
      return describe(streams, loadAware).mergeIn(roundTrips)
          .put("questions_routed", counted.questions())
          .put("waited_behind_busy_while_another_idle", counted.queuedBehindBusy())
          .put("waited_behind_busy_share", counted.questions() == 0 ? 0
              : Math.round(1000.0 * counted.queuedBehindBusy() / counted.questions()) / 1000.0)
          .put("status_bytes_per_s", new JsonObject()
              .put("details_frontend", Math.round(details.bytes.sum() / window.seconds()))
              .put("contract_frontend", Math.round(contract.bytes.sum() / window.seconds())))
          .put("status_updates_per_s", new JsonObject()
              .put("details_frontend", Math.round(10 * details.frames.sum() / window.seconds()) / 10.0)
              .put("contract_frontend", Math.round(10 * contract.frames.sum() / window.seconds()) / 10.0));
    } finally {
      details.close();
      contract.close();
      for (EchoAgentCompanion agent : agents) {
        Bench.await(agent.stop());
      }
      Bench.await(broker.stop());
      Bench.await(client.close());
    }
  }

  /** Each agent answers one question at a time; the slow one takes ten times as long. */
  private EchoOptions agent(boolean slow, boolean streams, int index) {
    EchoOptions options = EchoOptions.named((slow ? "Slow-" : "Fast-") + index).withSkills(List.of("echo"))
        .withConcurrency(1);
    return streams ? options.streaming(slow ? Math.max(1, streamRate / 10) : streamRate)
        : options.withWork(slow ? 10 * workMillis : workMillis);
  }

  private JsonObject describe(boolean streams, boolean loadAware) {
    return new JsonObject().put("scenario", "agent-routing")
        .put("workload", streams ? "streams: answers streamed a word a chunk at " + streamRate
            + " words/s (the slow agent " + Math.max(1, streamRate / 10) + ")"
            : "legacy: each answer a REPLY after " + workMillis + " ms of work (the slow agent " + 10 * workMillis
                + " ms)")
        .put("routing", loadAware ? "load-aware" : "random")
        .put("frontends", frontends).put("agents", "3 fast + 1 ten times slower, one question at a time each")
        .put("payload", payload).put("warmup_s", warmupSeconds).put("duration_s", durationSeconds);
  }

  /**
   * A frontend that only watches: registered with {@code "status_updates"} as given ({@code details} or the
   * contract's {@code full}), it counts the AGENT_STATUS_UPDATE frames and bytes it gets during the window.
   */
  private static final class Watcher {
    final LongAdder frames = new LongAdder();
    final LongAdder bytes = new LongAdder();
    private WebSocket socket;
    /** Set once the frontends are open; nothing is counted before. */
    private volatile RunWindow window;

    static Watcher open(WebSocketClient client, String url, String statusUpdates) throws Exception {
      Watcher watcher = new Watcher();
      watcher.socket = Bench.await(client.connect(new WebSocketConnectOptions().setAbsoluteURI(url)));
      watcher.socket.textMessageHandler(text -> {
        RunWindow window = watcher.window;
        if (window != null && window.measures(System.nanoTime())
            && "AGENT_STATUS_UPDATE".equals(BenchClient.messageType(text))) {
          watcher.frames.increment();
          watcher.bytes.add(text.length());
        }
      });
      watcher.socket.writeTextMessage(new JsonObject().put("message_type", "REGISTER_FRONTEND")
          .put("frontend_name", "Watcher-" + statusUpdates).put("status_updates", statusUpdates).encode());
      return watcher;
    }

    void close() throws Exception {
      Bench.await(socket.close());
    }
  }
}
