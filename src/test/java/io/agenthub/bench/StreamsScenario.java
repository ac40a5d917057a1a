package io.agenthub.bench;

import io.agenthub.companion.BrokerCompanion;
import io.agenthub.companion.CompanionSettings;
import io.agenthub.support.CommandOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * streams: S concurrent streamed replies of {@code --token-rate} chunks a second ({@code --chunk-chars} characters
 * each), each to an opted-in frontend, plus one legacy frontend (not opted in) per 10 whose question is streamed too
 * and which gets the hub's final REPLY. The agents ({@link StreamAgent}, {@code --stream-agents} of them) speak the
 * stream frames over WebSocket; the reference broker routes the questions at random; the hub runs its defaults,
 * monitoring copies on. The frontends ask over {@code --open-over} seconds; once every stream has its first chunk and
 * {@code --warmup} seconds more, the window of {@code --duration} seconds measures chunks delivered and the CPU: every
 * stream stays open through it (each is long enough), so what it costs is the chunks'. Then the hub's live heap (a
 * class histogram's total, kept next to hub.log) and RSS are taken against the same before any question; then every
 * stream ends and each viewer's text is compared with what its agent sent ({@link StreamViewer}). The floor,
 * {@link StreamRelayServer}, gets the same clients and counts, without the broker.
 */
final class StreamsScenario {
  private final Vertx vertx;
  private final CommandOptions options;
  private final int rate;
  private final int chunkChars;
  private final int agents;
  private final double openOver;
  private final double warmup;
  private final double duration;
  private final int sourceAddresses;

  StreamsScenario(Vertx vertx, CommandOptions options) {
    this.vertx = vertx;
    this.options = options;
    this.rate = options.integer("token-rate", 20);
    this.chunkChars = options.integer("chunk-chars", 4);
    this.agents = options.integer("stream-agents", 20);
    this.openOver = options.decimal("open-over", 10);
    this.warmup = options.decimal("warmup", 5);
    this.duration = options.decimal("duration", 20);
    this.sourceAddresses = options.integer("source-addresses", 4);
  }

  /** For each S of {@code --streams}: the floor, then the hub, with the hub's ratio to the floor. */
  void run(LoadGenerator.HubOnVhost hub, Path floorDir, Consumer<JsonObject> report) throws Exception {
    try (PlainVertxServer.Running floor = PlainVertxServer.start(floorDir, options.flag("launcher-jvm", true),
        StreamRelayServer.class)) {
      Target floorTarget = new Target(floor.webSocketUrl(), floor.webSocketUrl(), List.of(floor.pid()), List.of(),
          null);
      Target hubTarget = new Target(hub.hub().webSocketUrl(), hub.hub().webSocketUrl(), List.of(hub.hub().pid()),
          List.of(hub.hub()), hub.vhost().name());
      List<Integer> counts = options.integers("streams", "100,500");
      double jitWarmup = options.decimal("jit-warmup", 10);
      if (jitWarmup > 0) {
        // Unmeasured: both servers are fresh JVMs, and on two shared cores C2 compiles for the first seconds.
        measure(counts.get(0), floorTarget, 0, jitWarmup);
        measure(counts.get(0), hubTarget, 0, jitWarmup);
      }
      for (int streams : counts) {
        JsonObject floorLine = measure(streams, floorTarget, warmup, duration).put("scenario", "streams-floor");
        report.accept(floorLine);
        JsonObject hubLine = measure(streams, hubTarget, warmup, duration).put("scenario", "streams");
        hubLine.put("ratio_to_floor", new JsonObject()
            .put("hub_cpu_per_chunk", ratio(hubLine.getDouble("server_cpu_us_per_chunk"),
                floorLine.getDouble("server_cpu_us_per_chunk")))
            .put("added_p99_ms_over_floor", Math.round(100 * (hubLine.getJsonObject("added_ms").getDouble("p99")
                - floorLine.getJsonObject("added_ms").getDouble("p99"))) / 100.0));
        report.accept(hubLine);
      }
    }
  }

  /**
   * streams-cluster: the same through two clustered hubs (streams kept in the cluster's maps), the agents and the
   * reference broker on the first, every frontend on the second, so each chunk crosses instances; CPU, heap and RSS
   * are the two instances' sums. No floor: its figures are the single hub's (streams) and the floor's.
   */
  void runCluster(List<BenchHub> instances, String vhost, Consumer<JsonObject> report) throws Exception {
    Target cluster = new Target(instances.get(0).webSocketUrl(), instances.get(1).webSocketUrl(),
        instances.stream().map(BenchHub::pid).toList(), instances, vhost);
    List<Integer> counts = options.integers("streams", "100,500");
    double jitWarmup = options.decimal("jit-warmup", 10);
    if (jitWarmup > 0) {
      measure(counts.get(0), cluster, 0, jitWarmup);
    }
    for (int streams : counts) {
      report.accept(measure(streams, cluster, warmup, duration).put("scenario", "streams-cluster")
          .put("instances", instances.size()));
    }
  }

  /**
   * Where the clients go and what is measured: the agents (and the broker) on {@code agentUrl}, the frontends on
   * {@code viewerUrl}; the CPU and RSS of {@code pids}, the live heap of {@code hubs} (none for the floor).
   */
  record Target(String agentUrl, String viewerUrl, List<Long> pids, List<BenchHub> hubs, String vhost) {
    long residentBytes() throws java.io.IOException {
      long sum = 0;
      for (long pid : pids) {
        sum += Bench.residentBytes(pid);
      }
      return sum;
    }

    long liveHeap(String file) throws Exception {
      long sum = 0;
      for (BenchHub instance : hubs) {
        sum += StreamsScenario.liveHeap(instance, file);
      }
      return sum;
    }
  }

  private JsonObject measure(int streams, Target target, double warmup, double duration) throws Exception {
    boolean hub = !target.hubs().isEmpty();
    int legacy = (streams + 9) / 10;
    // At most: each stream outlasts the window even if opening them all takes two minutes; they end once measured.
    int tokens = options.integer("stream-tokens", (int) Math.ceil(rate * (openOver + 120 + warmup + duration)));
    StreamTally tally = new StreamTally();
    List<WebSocketClient> clients = ConnectionsScenario.webSocketClients(vertx, sourceAddresses,
        2 * (streams + legacy + agents), true, false);
    List<StreamAgent> streaming = new ArrayList<>();
    List<StreamViewer> viewers = new ArrayList<>();
    BrokerCompanion broker = null;
    try {
      for (int i = 0; i < agents; i++) {
        streaming.add(new StreamAgent(vertx.getOrCreateContext(), clients.get(i % clients.size()),
            target.agentUrl(), "StreamAgent-" + i, tally, tokens, chunkChars, rate));
      }
      Bench.await(Future.all(streaming.stream().map(StreamAgent::connect).toList()));
      if (hub) {
        broker = Bench.await(BrokerCompanion.start(vertx, new CompanionSettings(target.agentUrl(), "127.0.0.1", 5672,
            "guest", "guest", target.vhost())));
        awaitSeen(broker, streaming);
      }
      for (int i = 0; i < streams + legacy; i++) {
        // The legacy frontends spread evenly among the opted-in ones.
        int total = streams + legacy;
        boolean optedIn = (long) (i + 1) * legacy / total == (long) i * legacy / total;
        viewers.add(new StreamViewer(vertx.getOrCreateContext(), clients.get(i % clients.size()),
            target.viewerUrl(), (optedIn ? "Viewer-" : "Legacy-") + i, optedIn, tally, tokens));
      }
      Bench.await(Future.all(viewers.stream().map(StreamViewer::connect).toList()));
      JsonObject memory = new JsonObject().put("rss_without_streams", target.residentBytes());
      if (hub) {
        memory.put("heap_without_streams", target.liveHeap("histogram-" + streams + "-without-streams.txt"));
      }
      CpuMeter openingCpu = new CpuMeter(target.pids()).start();
      for (int i = 0; i < viewers.size(); i++) {
        viewers.get(i).askAfter((long) (openOver * 1000 * i / viewers.size()));
      }
      long openDeadline = System.nanoTime() + (long) ((openOver + 60) * 1e9);
      while (tally.firstChunks.sum() < streams && System.nanoTime() < openDeadline) {
        Bench.await(Bench.delay(vertx, 0.1));
      }
      JsonObject opening = openingCpu.coresUsed();
      long open = tally.writing.sum();
      RunWindow window = RunWindow.after(warmup, duration);
      viewers.forEach(viewer -> viewer.window(window));
      Bench.await(Bench.delay(vertx, warmup));
      CpuMeter cpu = new CpuMeter(target.pids()).start();
      ThreadCpu threads = ThreadCpu.start(target.pids());
      Bench.await(Bench.delay(vertx, (window.endNanos() - System.nanoTime()) / 1e9));
      JsonObject cores = cpu.coresUsed();
      JsonObject threadMillis = threads.millisPer(1);
      long writingAtEnd = tally.writing.sum();
      // After the window, so that the full collection jcmd forces does not fall in it; every stream still open.
      memory.put("streams_open", writingAtEnd).put("rss_with_streams", target.residentBytes());
      if (hub) {
        memory.put("heap_with_streams", target.liveHeap("histogram-" + streams + "-with-streams.txt"));
        memory.put("heap_per_stream", (memory.getLong("heap_with_streams") - memory.getLong("heap_without_streams"))
            / Math.max(1, writingAtEnd));
      }
      memory.put("rss_per_stream", (memory.getLong("rss_with_streams") - memory.getLong("rss_without_streams"))
          / Math.max(1, writingAtEnd));
      tally.wrapUp = true;
      try {
        Future.all(viewers.stream().map(StreamViewer::finished).toList()).toCompletionStage().toCompletableFuture()
            .get((long) (tokens / (double) rate + openOver + 60), java.util.concurrent.TimeUnit.SECONDS);
      } catch (java.util.concurrent.TimeoutException unfinished) {
        // counted below, stream by stream
      }
      StreamTally.Seen seen = new StreamTally.Seen();
      for (StreamViewer viewer : viewers) {
        seen.add(Bench.await(viewer.result()));
      }
      return describe(streams, legacy, tokens, warmup, duration).mergeIn(figures(seen, window, cores, threadMillis))
          .put("streams_open_in_window", new JsonObject().put("at_start", open).put("at_end", writingAtEnd))
          .put("memory_bytes", memory).put("cpu_cores_used_while_opening", opening)
          .put("errors", tally.errorCount() + seen.lost + seen.repeated
              + seen.textMismatches + seen.replyMismatches + seen.unfinished)
          .put("error_kinds", tally.errorsJson()).put("ends_confirmed_to_agents", tally.endsConfirmed.sum());
    } finally {
      Bench.await(Future.join(viewers.stream().map(StreamViewer::close).toList()));
      Bench.await(Future.join(streaming.stream().map(StreamAgent::close).toList()));
      if (broker != null) {
        Bench.await(broker.stop());
      }
      Bench.await(Future.join(clients.stream().map(WebSocketClient::close).toList()));
    }
  }

  private JsonObject figures(StreamTally.Seen seen, RunWindow window, JsonObject cores, JsonObject threadMillis) {
    double chunksPerSecond = seen.chunksInWindow / window.seconds();
    Double server = cores.getDouble("hub");
    JsonObject perChunk = new JsonObject();
    threadMillis.fieldNames().forEach(group -> perChunk.put(group, seen.chunksInWindow == 0 ? 0
        : Math.round(threadMillis.getDouble(group) * 1e4 / seen.chunksInWindow) / 10.0));
    return new JsonObject()
        .put("chunks_delivered_per_s", Math.round(chunksPerSecond))
        .put("chunk_frames_delivered_per_s", Math.round(seen.framesInWindow / window.seconds()))
        .put("server_cpu_us_per_chunk", server == null || chunksPerSecond == 0 ? null
            : Math.round(server / chunksPerSecond * 1e7) / 10.0)
        .put("server_cpu_us_per_chunk_by_thread", perChunk)
        .put("cpu_cores_used", cores)
        .put("time_to_first_token_ms", RoundTripResult.latencyJson(seen.firstTokenMicros))
        .put("added_ms", RoundTripResult.latencyJson(seen.addedMicros))
        .put("streams_checked", seen.streamsChecked).put("legacy_replies_checked", seen.legacyReplies)
        .put("lost_chunks", seen.lost).put("repeated_chunks", seen.repeated)
        .put("text_mismatches", seen.textMismatches).put("reply_mismatches", seen.replyMismatches)
        .put("reply_copies", seen.extraReplies).put("unfinished", seen.unfinished);
  }

  private JsonObject describe(int streams, int legacy, int tokens, double warmup, double duration) {
    return new JsonObject().put("streams", streams).put("legacy_frontends", legacy).put("agents", agents)
        .put("token_rate", rate).put("chunk_chars", chunkChars).put("max_tokens_per_stream", tokens)
        .put("open_over_s", openOver).put("warmup_s", warmup).put("duration_s", duration);
  }

  /**
   * The hub's live heap, the total of a class histogram (kept as {@code file} next to hub.log), which jcmd takes in
   * the full collection's pause: a heap figure read after a separate GC.run would count what 10,000 chunks a second
   * allocated in between.
   */
  private static long liveHeap(BenchHub hub, String file) throws Exception {
    List<String> lines = java.nio.file.Files.readAllLines(hub.keepJcmd(file, "GC.class_histogram"));
    String[] total = lines.get(lines.size() - 1).trim().split("\\s+");
    if (!"Total".equals(total[0])) {
      throw new IllegalStateException("no Total in the class histogram " + file);
    }
    return Long.parseLong(total[2]);
  }

  /** Until the broker sees every agent online: it routes only to those. */
  private void awaitSeen(BrokerCompanion broker, List<StreamAgent> streaming) throws Exception {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!streaming.stream().allMatch(agent -> broker.seesOnline(agent.id()))) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the broker did not see every stream agent online");
      }
      Bench.await(Bench.delay(vertx, 0.05));
    }
  }

  private static Double ratio(Double value, Double floor) {
    return value == null || floor == null || floor == 0 ? null : Math.round(value / floor * 100) / 100.0;
  }
}
