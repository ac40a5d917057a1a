package io.agenthub.bench;

import io.agenthub.config.Setting;
import io.agenthub.protocol.ClientRole;
import io.agenthub.support.CommandOptions;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * connections: opens N registered clients (a broker, then agents, then frontends), a bounded number of handshakes in
 * flight, spread over several event loops and loopback source addresses; holds them idle while the hub's heartbeats
 * and pings run; then checks that every one is still connected and every agent still online, and measures the hub's
 * heap (after a full GC) and RSS per connection. Clients offer permessage-deflate, as browsers do, unless
 * {@code --offer-deflate false}. {@code --diagnose true} (the hub needs {@code -XX:NativeMemoryTracking=summary})
 * keeps, next to hub.log, the native-memory diff from before the measured clients to while they are held, and a
 * class histogram and heap summary while they are held.
 */
final class ConnectionsScenario {
  private final Vertx vertx;
  private final int connections;
  private final int agents;
  private final int brokers;
  private final int inFlight;
  private final int sourceAddresses;
  private final double holdSeconds;
  private final int warmupConnections;
  private final boolean offerDeflate;
  private final boolean diagnose;
  private final boolean allowClientNoContext;
  private final double warmupHoldSeconds;

  ConnectionsScenario(Vertx vertx, CommandOptions options) {
    this.vertx = vertx;
    this.connections = options.integer("connections", 19_500);
    this.brokers = options.integer("brokers", 1);
    this.agents = Math.max(1, (int) Math.round(connections * options.decimal("agent-percent", 0.5) / 100));
    this.inFlight = options.integer("in-flight", 256);
    this.sourceAddresses = options.integer("source-addresses", 4);
    this.holdSeconds = options.decimal("hold", 25);
    this.warmupConnections = options.integer("warmup-connections", 10_000);
    this.offerDeflate = options.flag("offer-deflate", true);
    this.diagnose = options.flag("diagnose", false);
    this.allowClientNoContext = options.flag("allow-client-no-context", false);
    this.warmupHoldSeconds = warmupHoldSeconds(new JsonObject(options.string("hub-settings", "{}")));
  }

  JsonObject run(BenchHub hub) throws Exception {
    List<WebSocketClient> webSocketClients = webSocketClients(vertx, sourceAddresses, connections + warmupConnections,
        offerDeflate, allowClientNoContext);
    WebSocketConnectOptions target = new WebSocketConnectOptions().setAbsoluteURI(hub.webSocketUrl());
    AtomicLong warmupFailures = new AtomicLong();
    warmUp(vertx, inFlight, frontends(webSocketClients, target, warmupConnections, "Warmup-"), warmupFailures,
        warmupHoldSeconds);
    long heapBefore = hub.heapAfterGc();
    long rssBefore = hub.residentBytes();
    if (diagnose) {
      hub.keepJcmd("nmt-baseline.txt", "VM.native_memory", "baseline");
    }
    StatusWatch status = new StatusWatch();
    List<BenchClient> clients = new ArrayList<>();
    for (int i = 0; i < connections; i++) {
      ClientRole role = i < brokers ? ClientRole.BROKER : i < brokers + agents ? ClientRole.AGENT : ClientRole.FRONTEND;
      WebSocketClient via = webSocketClients.get(i % sourceAddresses);
      clients.add(new BenchClient(via, target, role, role.displayName() + "-" + i,
          role == ClientRole.BROKER ? status::onFrame : (type, text) -> { }));
    }

    AtomicLong failures = new AtomicLong();
    CpuMeter cpu = new CpuMeter(hub.pid()).start();
    ThreadCpu threads = ThreadCpu.start(hub.pid());
    long start = System.nanoTime();
    Instant openingFrom = Instant.now();
    // Brokers and agents first and on their own, so every frontend then gets one full status with every agent.
    Bench.await(openAll(vertx, inFlight, clients.subList(0, brokers + agents), failures));
    Bench.await(openAll(vertx, inFlight, clients.subList(brokers + agents, connections), failures));
    double openSeconds = (System.nanoTime() - start) / 1e9;
    Instant openingTo = Instant.now();
    JsonObject openCpu = cpu.coresUsed();
    JsonObject openCpuByThread = threads.millisPer(connections);
    long heapOpen = hub.heapAfterGc();
    Bench.await(Bench.delay(vertx, holdSeconds));

    long stillOpen = clients.stream().filter(BenchClient::isOpen).count();
    long closedByHub = clients.stream().filter(BenchClient::closedByServer).count();
    long withoutHeartbeat = clients.stream().filter(c -> c.heartbeats() == 0).count();
    Set<String> agentIds = new HashSet<>();
    clients.subList(brokers, brokers + agents).forEach(agent -> agentIds.add(agent.id()));
    long agentsOnline = Bench.await(status.onlineAmong(clients.get(0), agentIds));
    JsonObject hubCounts = hub.connections();
    long rssHeldBeforeGc = hub.residentBytes();
    long heapHeld = hub.heapAfterGc();
    long rssHeld = hub.residentBytes();
    if (diagnose) {
      hub.keepJcmd("nmt-held-diff.txt", "VM.native_memory", "summary.diff");
      hub.keepJcmd("class-histogram-held.txt", "GC.class_histogram");
      hub.keepJcmd("heap-info-held.txt", "GC.heap_info");
    }
    // Frontends first: agents leaving while twenty thousand frontends watch is presence-churn's subject, not this
    // one's.
    Bench.await(Future.join(clients.subList(brokers + agents, connections).stream().map(BenchClient::close).toList()));
    Bench.await(Future.join(clients.subList(0, brokers + agents).stream().map(BenchClient::close).toList()));
    webSocketClients.forEach(WebSocketClient::close);

    boolean allOnline = stillOpen == connections && closedByHub == 0 && agentsOnline == agents
        && hubCounts.getInteger("sockets", -1) == connections;
    return new JsonObject()
        .put("connections", connections).put("brokers", brokers).put("agents", agents)
        .put("frontends", connections - brokers - agents).put("in_flight", inFlight)
        .put("source_addresses", sourceAddresses).put("hold_s", holdSeconds).put("offer_deflate", offerDeflate)
        .put("allow_client_no_context", allowClientNoContext)
        .put("registered", connections - failures.get())
        .put("hinted_retries", clients.stream().mapToInt(BenchClient::hintedRetries).sum())
        .put("connects_registrations_per_s", Math.round(connections / openSeconds))
        .put("open_s", Math.round(openSeconds * 100) / 100.0)
        .put("opening", new JsonObject().put("from", openingFrom.toString()).put("to", openingTo.toString()))
        .put("cpu_cores_used_while_opening", openCpu)
        .put("hub_cpu_ms_per_registration",
            Math.round(openCpu.getDouble("hub", 0.0) * openSeconds / connections * 1e6) / 1000.0)
        .put("hub_cpu_ms_per_registration_by_thread", openCpuByThread)
        .put("heap_per_connection_bytes", (heapHeld - heapBefore) / connections)
        .put("heap_per_connection_bytes_when_opened", (heapOpen - heapBefore) / connections)
        .put("rss_per_connection_bytes", (rssHeld - rssBefore) / connections)
        .put("rss_per_connection_bytes_before_forced_gc", (rssHeldBeforeGc - rssBefore) / connections)
        .put("heap_mib", new JsonObject().put("before", heapBefore >> 20).put("held", heapHeld >> 20))
        .put("rss_mib", new JsonObject().put("before", rssBefore >> 20)
            .put("held_before_forced_gc", rssHeldBeforeGc >> 20).put("held", rssHeld >> 20))
        .put("still_open", stillOpen).put("closed_by_hub", closedByHub)
        .put("without_heartbeat", withoutHeartbeat).put("agents_online", agentsOnline)
        .put("hub_sockets", hubCounts.getInteger("sockets", -1))
        .put("all_online", allOnline)
        .put("errors", warmupFailures.get() + failures.get() + (allOnline ? 0 : 1));
  }

  /** One WebSocket client per loopback source address 127.0.0.1…n, offering deflate as browsers do unless told not. */
  static List<WebSocketClient> webSocketClients(Vertx vertx, int sourceAddresses, int maxConnections,
      boolean offerDeflate, boolean allowClientNoContext) {
    List<WebSocketClient> webSocketClients = new ArrayList<>();
    for (int i = 0; i < sourceAddresses; i++) {
      webSocketClients.add(vertx.createWebSocketClient(new WebSocketClientOptions()
          .setLocalAddress("127.0.0." + (i + 1)).setMaxConnections(maxConnections)
          .setMaxFrameSize(4 * 1_048_576).setMaxMessageSize(16 * 1_048_576)
          .setTryUsePerMessageCompression(offerDeflate).setCompressionAllowClientNoContext(allowClientNoContext)));
    }
    return webSocketClients;
  }

  /** Idle frontends spread over the clients, named {@code namePrefix} and their index. */
  static List<BenchClient> frontends(List<WebSocketClient> via, WebSocketConnectOptions target, int count,
      String namePrefix) {
    List<BenchClient> frontends = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      frontends.add(new BenchClient(via.get(i % via.size()), target, ClientRole.FRONTEND, namePrefix + i,
          (type, text) -> { }));
    }
    return frontends;
  }

  /**
   * Unmeasured: the server is a fresh JVM whose handshake and registration paths are not compiled yet. The warm-up
   * clients stay open {@code holdSeconds} before they close: the hub counts a socket closed within
   * REGISTRATION_CHURN_WINDOW of registering against its address, so thousands closed at once would leave the source
   * addresses in debt, and the measured agents (new identities) waiting their turn behind the bench's own warm-up.
   */
  static void warmUp(Vertx vertx, int inFlight, List<BenchClient> warmup, AtomicLong failures, double holdSeconds)
      throws Exception {
    Bench.await(openAll(vertx, inFlight, warmup, failures));
    if (!warmup.isEmpty() && holdSeconds > 0) {
      Bench.await(Bench.delay(vertx, holdSeconds));
    }
    Bench.await(Future.join(warmup.stream().map(BenchClient::close).toList()));
  }

  /** How long warm-up clients stay registered: past the hub's REGISTRATION_CHURN_WINDOW, with a margin. */
  static double warmupHoldSeconds(JsonObject hubSettings) {
    String key = Setting.REGISTRATION_CHURN_WINDOW.name();
    Object window = hubSettings.getValue(key, Setting.defaults().getValue(key));
    return Double.parseDouble(String.valueOf(window)) + 0.5;
  }

  /** Opens the clients with at most {@code inFlight} handshakes pending, split over one lane per event loop. */
  static Future<Void> openAll(Vertx vertx, int inFlight, List<BenchClient> clients, AtomicLong failures) {
    int lanes = Math.max(1, Math.min(clients.size(), 2 * Runtime.getRuntime().availableProcessors()));
    List<Future<Void>> done = new ArrayList<>();
    for (int lane = 0; lane < lanes; lane++) {
      List<BenchClient> mine = new ArrayList<>();
      for (int i = lane; i < clients.size(); i += lanes) {
        mine.add(clients.get(i));
      }
      Context context = vertx.getOrCreateContext();
      int window = Math.max(1, inFlight / lanes);
      done.add(Bench.onContext(context, () -> new Lane(mine, window, failures).start()));
    }
    return Future.all(done).mapEmpty();
  }

  /** Opens its clients one after another, {@code window} at a time, on one context. */
  private static final class Lane {
    private final List<BenchClient> clients;
    private final int window;
    private final AtomicLong failures;
    private final Promise<Void> done = Promise.promise();
    private int next;
    private int finished;

    Lane(List<BenchClient> clients, int window, AtomicLong failures) {
      this.clients = clients;
      this.window = window;
      this.failures = failures;
    }

    Future<Void> start() {
      if (clients.isEmpty()) {
        return Future.succeededFuture();
      }
      for (int i = 0; i < window && next < clients.size(); i++) {
        openNext();
      }
      return done.future();
    }

    private void openNext() {
      BenchClient client = clients.get(next++);
      client.connect(null).onComplete(registered -> {
        if (registered.failed()) {
          failures.incrementAndGet();
        }
        finished++;
        if (next < clients.size()) {
          openNext();
        } else if (finished == clients.size()) {
          done.complete();
        }
      });
    }
  }
}
