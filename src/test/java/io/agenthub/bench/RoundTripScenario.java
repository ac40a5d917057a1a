package io.agenthub.bench;

import io.agenthub.chaos.LegacyBroker;
import io.agenthub.companion.BrokerCompanion;
import io.agenthub.companion.CompanionSettings;
import io.agenthub.companion.EchoAgentCompanion;
import io.agenthub.companion.FloorCompanions;
import io.agenthub.protocol.ChatMessages;
import io.agenthub.protocol.ClientRole;
import io.agenthub.support.CommandOptions;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * round-trip: F frontends in closed loop through the hub, the reference broker and A echo agents; amqp-floor: the
 * same queue hops with the same broker and echo clients and a {@link FloorRelay} doing the hub's AMQP work, no hub.
 *
 * <p>legacy: what the legacy clients make the hub do. The broker is the seed broker's routing ({@link LegacyBroker}:
 * every TEXT and REPLY to a random agent other than its sender), so the echo agent's REPLY goes to another agent and
 * its frontend sees it only as a monitoring copy; the hub runs with monitoring copies on (the default), and the
 * frontends offer permessage-deflate as browsers do (and, like browsers, accept a server's
 * {@code client_no_context_takeover}). Each round trip then sends about 3·F frames to F frontends.
 * Its floor is the same five queue hops plus the REPLY's sixth to the other agent, the relay handing each REPLY to
 * its asker only.
 */
final class RoundTripScenario {
  private final Vertx vertx;
  private final CommandOptions options;
  private final int agents;
  private final double warmupSeconds;
  private final double durationSeconds;
  private final long timeoutMs;
  private final String payload;
  private final Long hubPid;
  private final boolean legacy;

  RoundTripScenario(Vertx vertx, CommandOptions options, Long hubPid, boolean legacy) {
    this.vertx = vertx;
    this.hubPid = hubPid;
    this.legacy = legacy;
    this.options = options;
    this.agents = options.integer("agents", 2);
    this.warmupSeconds = options.decimal("warmup", 5);
    this.durationSeconds = options.decimal("duration", 20);
    this.timeoutMs = options.integer("timeout-ms", 5_000);
    this.payload = "x".repeat(options.integer("payload", 100));
  }

  JsonObject describe(String scenario, int frontends) {
    return new JsonObject().put("scenario", scenario).put("frontends", frontends).put("agents", agents)
        .put("payload_bytes", payload.length()).put("warmup_s", warmupSeconds).put("duration_s", durationSeconds)
        .put("workload", legacy ? "legacy: monitoring copies on, broker routes to another agent, clients offer deflate"
            : "pass-through broker, monitoring copies off, clients without deflate");
  }

  /** Round trips through the floor and the hub (if any) that are not measured, so both JVMs are compiled. */
  void warmUp(Floor floor, ThroughHub viaHub, int frontends, double seconds) throws Exception {
    floor.run(frontends, new RunWindow(System.nanoTime(), System.nanoTime() + (long) (seconds / 2 * 1e9)));
    if (viaHub != null) {
      viaHub.run(frontends, () -> new RunWindow(System.nanoTime(), System.nanoTime() + (long) (seconds * 1e9)));
    }
  }

  /** The hub's broker and echo agents, started once and shared by every frontend count. */
  final class ThroughHub implements AutoCloseable {
    private final String url;
    private final int port;
    private final BrokerCompanion broker;
    private final LegacyBroker legacyBroker;
    private final List<EchoAgentCompanion> echoAgents = new ArrayList<>();
    private final WebSocketClient client;

    ThroughHub(String url, String vhost) throws Exception {
      this.url = url;
      this.port = URI.create(url).getPort();
      CompanionSettings settings = new CompanionSettings(url, "127.0.0.1", 5672, "guest", "guest", vhost);
      for (int i = 1; i <= agents; i++) {
        echoAgents.add(Bench.await(EchoAgentCompanion.start(vertx, settings, "Echo-" + i)));
      }
      broker = legacy ? null : Bench.await(BrokerCompanion.start(vertx, settings));
      legacyBroker = legacy
          ? LegacyBroker.start(5672, vhost, echoAgents.stream().map(EchoAgentCompanion::agentId).toList()) : null;
      client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(10_000)
          .setTryUsePerMessageCompression(legacy).setCompressionAllowClientNoContext(legacy));
    }

    RoundTripResult run(int frontends) throws Exception {
      return run(frontends, () -> RunWindow.after(warmupSeconds, durationSeconds));
    }

    RoundTripResult run(int frontends, Supplier<RunWindow> windowOnceOpen) throws Exception {
      WebSocketFrontends opened = WebSocketFrontends.open(vertx, client, url, frontends, "Bench-", windowOnceOpen,
          timeoutMs, payload);
      RunWindow window = opened.window();
      long[] wireBytesAtStart = new long[1];
      vertx.setTimer(Math.max(1, (window.startNanos() - System.nanoTime()) / 1_000_000),
          t -> vertx.executeBlocking(() -> wireBytesAtStart[0] = WireBytes.sentFrom(port)));
      RoundTripResult result = collect(opened.loops(), window);
      long wireBytesAtEnd = WireBytes.sentFrom(port);
      result.framesDelivered(opened.delivered().sum());
      result.hubWireBytes(wireBytesAtEnd < 0 || wireBytesAtStart[0] < 0 ? -1 : wireBytesAtEnd - wireBytesAtStart[0]);
      opened.close();
      return result;
    }

    @Override
    public void close() throws Exception {
      for (EchoAgentCompanion agent : echoAgents) {
        Bench.await(agent.stop());
      }
      if (broker != null) {
        Bench.await(broker.stop());
      }
      if (legacyBroker != null) {
        legacyBroker.close();
      }
      Bench.await(client.close());
    }
  }

  /** The floor: the same broker routing and echo answers, the hub replaced by a {@link FloorRelay}. */
  final class Floor implements AutoCloseable {
    private final FloorRelay relay;
    private final FloorCompanions companions;
    private final LegacyBroker legacyBroker;

    Floor(String vhost) throws Exception {
      relay = new FloorRelay(vhost, options.integer("floor-prefetch", 256), options.flag("floor-confirms", true),
          legacy);
      List<String> agentIds = new ArrayList<>();
      for (int i = 0; i < agents; i++) {
        agentIds.add(String.format("agent_%08x", i + 1));
        relay.declareAgentQueue(agentIds.get(i));
      }
      CompanionSettings settings = new CompanionSettings("ws://unused", "127.0.0.1", 5672, "guest", "guest", vhost);
      companions = Bench.await(legacy ? FloorCompanions.startAgents(vertx, settings, agentIds)
          : FloorCompanions.start(vertx, settings, agentIds));
      legacyBroker = legacy ? LegacyBroker.start(5672, vhost, agentIds) : null;
    }

    RoundTripResult run(int frontends) throws Exception {
      return run(frontends, RunWindow.after(warmupSeconds, durationSeconds));
    }

    RoundTripResult run(int frontends, RunWindow window) throws Exception {
      List<ClosedLoopFrontend> loops = new ArrayList<>();
      LongAdder delivered = new LongAdder();
      for (int i = 0; i < frontends; i++) {
        Context context = vertx.getOrCreateContext();
        String id = "web_" + UUID.randomUUID().toString().substring(0, 8);
        ClosedLoopFrontend loop = new ClosedLoopFrontend(context, id,
            message -> relay.publishFromFrontend(ChatMessages.stampFromClient(message, id, ClientRole.FRONTEND,
                Instant.now())),
            window, timeoutMs, payload);
        relay.register(id, message -> {
          if (window.measures(System.nanoTime())) {
            delivered.increment();
          }
          context.runOnContext(v -> loop.onAnswer(message));
        });
        loops.add(loop);
      }
      RoundTripResult result = collect(loops, window);
      result.framesDelivered(delivered.sum());
      if (relay.failures() > 0) {
        throw new IllegalStateException("the floor relay failed " + relay.failures() + " times");
      }
      return result;
    }

    @Override
    public void close() throws Exception {
      if (legacyBroker != null) {
        legacyBroker.close();
      }
      Bench.await(companions.stop());
      relay.close();
    }
  }

  private RoundTripResult collect(List<ClosedLoopFrontend> loops, RunWindow window) throws Exception {
    CpuMeter cpu = new CpuMeter(hubPid);
    vertx.setTimer(Math.max(1, (window.startNanos() - System.nanoTime()) / 1_000_000), t -> cpu.start());
    Bench.await(Future.all(loops.stream().map(ClosedLoopFrontend::run).toList()));
    RoundTripResult result = new RoundTripResult(window, cpu.coresUsed());
    loops.forEach(loop -> loop.addTo(result));
    return result;
  }
}
