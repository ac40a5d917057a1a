package io.agenthub.chaos;

import io.agenthub.companion.BrokerCompanion;
import io.agenthub.companion.CompanionSettings;
import io.agenthub.companion.EchoAgentCompanion;
import io.agenthub.support.Await;
import io.agenthub.support.ClusterNodes;
import io.agenthub.support.CommandOptions;
import io.agenthub.support.HubProcess;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * What every scenario shares: the run folder under {@code target/chaos/}, hubs as child JVMs, the reference
 * companions, the closed-loop frontends and their {@link Ledger}, the drain at the end and the figures. Runs on the
 * runner's main thread, which may block and sleep; the frontends run on Vert.x event loops.
 */
final class ChaosRun implements AutoCloseable {
  private static final String PROMISE_ALREADY_COMPLETED = "IllegalStateException: Promise already completed";

  final Vertx vertx = Vertx.vertx();
  final Path dir;
  final CommandOptions options;
  final Ledger ledger = new Ledger();
  final ChaosCounters counters = new ChaosCounters();
  private final WebSocketClient webSockets = vertx.createWebSocketClient(new WebSocketClientOptions()
      .setMaxConnections(1_000));
  private final List<ChaosFrontend> frontends = new ArrayList<>();
  private final List<AutoCloseable> companions = new ArrayList<>();
  private final List<EchoAgentCompanion> agents = new ArrayList<>();
  private final AtomicLong loadEnd = new AtomicLong();
  private long timelineEnd;
  private boolean closed;

  ChaosRun(Path dir, CommandOptions options) {
    this.dir = dir;
    this.options = options;
  }

  /**
   * A hub child JVM on a free port, over conf/hub.json, with the scenario's and the command line's settings. C1 only:
   * the suite measures outcomes and recovery, not throughput, and a JVM that need not wait for C2 starts sooner.
   */
  HubProcess startHub(String name, int rabbitPort, String vhost, JsonObject scenarioSettings) throws Exception {
    int port = ClusterNodes.freePort();
    JsonObject settings = new JsonObject().put("HOST", "127.0.0.1").put("PORT", port)
        .put("WEBSOCKET_HOST", "127.0.0.1").put("WEBSOCKET_PORT", port)
        .put("RABBITMQ_HOST", "127.0.0.1").put("RABBITMQ_PORT", rabbitPort).put("RABBITMQ_VHOST", vhost)
        .put("CLIENT_RATE_LIMIT", 0)
        .mergeIn(scenarioSettings)
        .mergeIn(new JsonObject(options.string("hub-settings", "{}")));
    List<String> jvm = List.of("-Xmx384m", "-XX:TieredStopAtLevel=1",
        "-Dlogback.configurationFile=" + Path.of("target/classes/logback.xml").toAbsolutePath());
    return HubProcess.start(name, Files.createDirectories(dir.resolve(name)), settings, jvm);
  }

  /** The reference broker and echo agents on this hub: replies pass straight back to their frontend. */
  List<String> startReferenceCompanions(String hubUrl, int rabbitPort, String vhost) throws Exception {
    CompanionSettings settings = new CompanionSettings(hubUrl, "127.0.0.1", rabbitPort, "guest", "guest", vhost);
    BrokerCompanion broker = await(BrokerCompanion.start(vertx, settings));
    companions.add(() -> await(broker.stop()));
    return startEchoAgents(List.of(hubUrl), rabbitPort, vhost);
  }

  /** A companion a scenario started, stopped with the run. */
  void addCompanion(AutoCloseable companion) {
    companions.add(companion);
  }

  /** {@code --agents} echo agents, spread over these hubs. */
  List<String> startEchoAgents(List<String> hubUrls, int rabbitPort, String vhost) throws Exception {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < options.integer("agents", 2); i++) {
      CompanionSettings settings = new CompanionSettings(hubUrls.get(i % hubUrls.size()), "127.0.0.1", rabbitPort,
          "guest", "guest", vhost);
      EchoAgentCompanion agent = await(EchoAgentCompanion.start(vertx, settings, "ChaosEcho-" + (i + 1)));
      companions.add(() -> await(agent.stop()));
      agents.add(agent);
      ids.add(agent.agentId());
    }
    return ids;
  }

  /**
   * {@code --frontends} closed-loop frontends, frontend i connecting to the first of {@code urls.apply(i)} (and to
   * the next one if the hub closes its socket); their load ends at {@code endNanos}; {@code awayMs} >= 0 makes them
   * resuming frontends.
   */
  List<ChaosFrontend> startFrontends(IntFunction<List<String>> urls, long awayMs, long endNanos) throws Exception {
    loadEnd.set(endNanos);
    // A resuming frontend whose reply is lost would otherwise wait the full timeout for each message.
    ChaosFrontend.Behaviour behaviour = new ChaosFrontend.Behaviour(timeoutMs(awayMs >= 0),
        options.integer("error-pause-ms", 50), awayMs, "x".repeat(options.integer("payload", 100)), loadEnd);
    List<ChaosFrontend> started = new ArrayList<>();
    for (int i = 0; i < options.integer("frontends", 8); i++) {
      started.add(new ChaosFrontend(vertx.getOrCreateContext(), webSockets, "F" + (i + 1), urls.apply(i), ledger,
          behaviour, counters));
    }
    frontends.addAll(started);
    await(Future.all(started.stream().map(ChaosFrontend::start).toList()));
    return started;
  }

  /**
   * Keeps the load going until a message sent after the fault's end was answered, and one of each frontend named
   * (at most {@code --recovery-cap}
   * seconds, default 60) and {@code --after-fault} seconds (default 3) more, so that a fault ending late (a slow
   * RabbitMQ start) is still followed by load and its recovery is measured. Returns when it was answered, or at the
   * cap.
   */
  void awaitRecovery(long faultEndNanos, String... frontendKeys) throws Exception {
    long cap = faultEndNanos + options.nanos("recovery-cap", 60);
    loadEnd.set(Math.max(cap, timelineEnd));
    Await.atMost(cap, Duration.ofMillis(20), () -> recovered(faultEndNanos, frontendKeys));
    long after = Math.max(System.nanoTime() + options.nanos("after-fault", 3), timelineEnd);
    loadEnd.set(Math.min(loadEnd.get(), after));
  }

  /** Called as a fault begins: the load must not end before its recovery was seen ({@link #awaitRecovery}). */
  void faultBegins() {
    loadEnd.set(Long.MAX_VALUE);
  }

  /** A message sent after the fault was answered, and one of each of these frontends too. */
  private boolean recovered(long faultEndNanos, String... frontendKeys) {
    if (ledger.recoveryMillis(faultEndNanos, null) == null) {
      return false;
    }
    for (String key : frontendKeys) {
      if (ledger.recoveryMillis(faultEndNanos, key) == null) {
        return false;
      }
    }
    return true;
  }

  /** How long a frontend waits for an answer before it sends its next message (late answers still count). */
  private long timeoutMs(boolean resuming) {
    return options.integer("timeout-ms", resuming ? 1_000 : 5_000);
  }

  /** The load's timeline from now: faults are placed after {@code --warmup}, within {@code --duration}. */
  record Timeline(long measuredFrom, long durationNanos) {
    long at(double fraction) {
      return measuredFrom + (long) (durationNanos * fraction);
    }

    long end() {
      return measuredFrom + durationNanos;
    }
  }

  Timeline timeline() {
    Timeline timeline = new Timeline(System.nanoTime() + options.nanos("warmup", 3), options.nanos("duration", 20));
    timelineEnd = timeline.end();
    return timeline;
  }

  static void sleepUntil(long nanos) throws InterruptedException {
    long left = nanos - System.nanoTime();
    if (left > 0) {
      TimeUnit.NANOSECONDS.sleep(left);
    }
  }

  /**
   * Waits for the load to end, then up to {@code --drain} seconds for every message to be answered or refused;
   * whatever is still open then counts as silently lost.
   */
  void drain() throws Exception {
    long drainNanos = options.nanos("drain", 10);
    long timeoutNanos = timeoutMs(false) * 1_000_000L;
    try {
      Future.all(frontends.stream().map(ChaosFrontend::finished).toList()).toCompletionStage().toCompletableFuture()
          .get(timeoutNanos + drainNanos, TimeUnit.NANOSECONDS);
    } catch (TimeoutException stillReconnecting) {
      // counted below: what is unresolved after the drain is lost
    }
    Await.atMost(System.nanoTime() + drainNanos, Duration.ofMillis(100), () -> ledger.unresolved() == 0);
  }

  /**
   * The figures of the contract's messages, recovery per fault, what the frontends saw, and the repeats the echo
   * agents recognised and did not answer twice.
   */
  JsonObject summary(List<Long> faultEndNanos) {
    JsonArray recovery = new JsonArray();
    faultEndNanos.forEach(end -> recovery.add(ledger.recoveryMillis(end, null)));
    return ledger.summary(Ledger.Group.CONTRACT).put("recovery_ms", recovery).mergeIn(counters.toJson())
        .put("agent_repeats_not_answered_twice",
            agents.stream().mapToLong(EchoAgentCompanion::repeatsNotAnsweredTwice).sum());
  }

  /**
   * How often a hub met a repeat (its {@code /metrics}): redeliveries it had settled, published again to an agent's
   * queue after an unconfirmed publish, and frames a socket already had.
   */
  static JsonObject hubRepeats(HubProcess hub) throws Exception {
    HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + hub.port() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
    JsonObject repeats = new JsonObject();
    for (String meter : List.of("redeliveries_skipped", "republished", "duplicates_suppressed")) {
      String prefix = "agenthub_messages_" + meter + "_total ";
      repeats.put(meter, metrics.body().lines().filter(line -> line.startsWith(prefix))
          .mapToLong(line -> (long) Double.parseDouble(line.substring(prefix.length()))).sum());
    }
    return repeats;
  }

  /** ERROR lines of a hub's log, and among them IllegalStateException "Promise already completed". */
  static JsonObject logErrors(HubProcess hub) throws Exception {
    List<String> lines = Files.readAllLines(hub.logFile(), StandardCharsets.UTF_8);
    return new JsonObject()
        .put("error_lines", lines.stream().filter(line -> line.contains(" ERROR ")).count())
        .put("promise_already_completed", lines.stream().filter(line -> line.contains(PROMISE_ALREADY_COMPLETED))
            .count());
  }

  static <T> T await(Future<T> future) throws Exception {
    try {
      return future.toCompletionStage().toCompletableFuture().get(2, TimeUnit.MINUTES);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }

  /** Frontends, companions and the Vert.x instance; before the hubs and RabbitMQ go, so nothing reconnects. */
  @Override
  public void close() throws Exception {
    if (closed) {
      return;
    }
    closed = true;
    for (ChaosFrontend frontend : frontends) {
      try {
        frontend.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        System.err.println("chaos: closing frontend " + frontend.key() + " timed out");
      }
    }
    for (int i = companions.size() - 1; i >= 0; i--) {
      try {
        companions.get(i).close();
      } catch (Exception e) {
        System.err.println("chaos: stopping a companion failed: " + e.getMessage());
      }
    }
    await(vertx.close());
  }
}
