package io.agenthub.bench;

import io.agenthub.support.ClusterNodes;
import io.agenthub.support.CommandOptions;
import io.agenthub.support.RabbitVhost;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * reconnect-storm: N frontends from one address (127.0.0.1, as behind a load balancer, a reverse proxy or a NAT)
 * register with a hub started as README starts it ({@link JarHub}: the default configuration but for its address,
 * port and RabbitMQ vhost). The hub is killed with SIGKILL and started again at once on the same port, and the
 * clients reconnect as the reference companions do ({@link ReconnectingFrontend}), offering permessage-deflate as
 * browsers do. Measured: the time from the hub listening again to every client registered again, how many were given
 * up (not registered again within {@code --give-up-after} seconds of the hub listening), and the hub's CPU over it,
 * split by thread.
 */
final class ReconnectStormScenario {
  private final Vertx vertx;
  private final int frontends;
  private final double giveUpAfterSeconds;
  private final JsonObject hubSettings;
  private final List<String> hubJvm;
  private final List<ReconnectingFrontend> clients = new ArrayList<>();
  /** The registrations of the current phase: the first opening, then the return after the restart. */
  private Phase phase = new Phase();

  ReconnectStormScenario(Vertx vertx, CommandOptions options) {
    this.vertx = vertx;
    this.frontends = options.integer("storm-frontends", 5_000);
    this.giveUpAfterSeconds = options.decimal("give-up-after", 300);
    this.hubSettings = new JsonObject(options.string("hub-settings", "{}"));
    String extra = options.string("hub-jvm", "");
    this.hubJvm = extra.isBlank() ? List.of() : Arrays.asList(extra.trim().split("\\s+"));
  }

  /** Counts the registrations of one phase; complete once every client registered, or when they are given up. */
  private final class Phase {
    private final AtomicInteger registered = new AtomicInteger();
    private final Promise<Void> all = Promise.promise();

    void registered() {
      if (registered.incrementAndGet() == frontends) {
        all.tryComplete();
      }
    }

    Future<Void> allOrGiveUp() {
      vertx.setTimer(Math.max(1, (long) (giveUpAfterSeconds * 1000)), t -> all.tryComplete());
      return all.future();
    }
  }

  JsonObject run(Path runDir) throws Exception {
    int port = ClusterNodes.freePort();
    try (RabbitVhost vhost = RabbitVhost.create("bench-storm")) {
      JsonObject settings = new JsonObject().put("HOST", "127.0.0.1").put("PORT", port)
          .put("WEBSOCKET_HOST", "127.0.0.1").put("WEBSOCKET_PORT", port)
          .put("RABBITMQ_HOST", "127.0.0.1").put("RABBITMQ_VHOST", vhost.name())
          .mergeIn(hubSettings);
      WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions()
          .setLocalAddress("127.0.0.1").setMaxConnections(2 * frontends + 16).setTryUsePerMessageCompression(true));
      WebSocketConnectOptions target = new WebSocketConnectOptions().setAbsoluteURI("ws://127.0.0.1:" + port + "/ws");
      for (int i = 0; i < frontends; i++) {
        clients.add(new ReconnectingFrontend(vertx, client, target, "Storm-" + i, registered -> phase.registered()));
      }
      JarHub first = JarHub.launch(runDir.resolve("hub"), settings, hubJvm);
      JarHub restarted = null;
      try {
        first.awaitListening();
        long openStart = System.nanoTime();
        startAll();
        Bench.await(phase.allOrGiveUp());
        double openingSeconds = round((System.nanoTime() - openStart) / 1e9);
        int registered = phase.registered.get();
        if (registered < frontends) {
          return summary().put("opening_s", openingSeconds).put("registered_before_restart", registered)
              .put("errors", frontends - registered);
        }
        phase = new Phase();
        first.kill();
        long killedAt = System.currentTimeMillis();
        restarted = JarHub.launch(runDir.resolve("hub-restarted"), settings, hubJvm);
        JsonObject storm = storm(restarted, killedAt);
        return summary().put("opening_s", openingSeconds).mergeIn(storm);
      } finally {
        Bench.await(Future.join(clients.stream().map(ReconnectingFrontend::stop).toList()));
        client.close();
        first.close();
        if (restarted != null) {
          restarted.close();
        }
      }
    }
  }

  /** From the restarted hub's start until every client registered again, or was given up. */
  private JsonObject storm(JarHub hub, long killedAt) throws Exception {
    ThreadCpu sinceStart = ThreadCpu.start(hub.pid());
    Instant listening = hub.awaitListening();
    ThreadCpu sinceListening = ThreadCpu.start(hub.pid());
    CpuMeter machine = new CpuMeter(hub.pid()).start();
    Bench.await(phase.allOrGiveUp());
    JsonObject hubCpuMs = sinceListening.millisPer(1);
    JsonObject cores = machine.coresUsed();
    int again = phase.registered.get();
    List<Long> delays = clients.stream().filter(ReconnectingFrontend::isRegistered)
        .map(c -> c.registeredAtMillis() - listening.toEpochMilli()).sorted().toList();
    long hubSockets = hub.connections().getInteger("sockets", -1);
    return new JsonObject()
        .put("kill_to_listening_s", round((listening.toEpochMilli() - killedAt) / 1e3))
        .put("listening_to_all_registered_s", again < frontends ? null : round(last(delays) / 1e3))
        .put("registered_again_after_s", new JsonObject().put("first", round(percentile(delays, 0) / 1e3))
            .put("p50", round(percentile(delays, 50) / 1e3)).put("p90", round(percentile(delays, 90) / 1e3))
            .put("last", round(last(delays) / 1e3)))
        .put("registered_again", again).put("given_up", frontends - again)
        .put("hub_sockets", hubSockets)
        .put("hub_cpu_s_listening_to_all_registered", round(hubCpuMs.getDouble("total") / 1e3))
        .put("hub_cpu_ms_per_registration", sinceListening.millisPer(again))
        .put("hub_cpu_s_start_to_all_registered", round(sinceStart.millisPer(1).getDouble("total") / 1e3))
        .put("cpu_cores_used_listening_to_all_registered", cores)
        .put("hub_log", hub.log().toString())
        .put("errors", (frontends - again) + (hubSockets == frontends ? 0 : 1));
  }

  /** Every client starts at once, spread over the event loops, as a crowd arrives. */
  private void startAll() {
    int lanes = 2 * Runtime.getRuntime().availableProcessors();
    List<Context> contexts = new ArrayList<>();
    for (int lane = 0; lane < lanes; lane++) {
      contexts.add(vertx.getOrCreateContext());
    }
    for (int i = 0; i < clients.size(); i++) {
      ReconnectingFrontend frontend = clients.get(i);
      contexts.get(i % lanes).runOnContext(v -> frontend.start());
    }
  }

  /** What the clients met on their way, over both phases. */
  private JsonObject summary() {
    return new JsonObject().put("frontends", frontends).put("source_addresses", 1).put("offer_deflate", true)
        .put("give_up_after_s", giveUpAfterSeconds)
        .put("same_id_again", clients.stream().filter(ReconnectingFrontend::sameIdAgain).count())
        .put("connect_failures", clients.stream().mapToLong(ReconnectingFrontend::connectFailures).sum())
        .put("hinted_retries", clients.stream().mapToLong(ReconnectingFrontend::hintedRetries).sum())
        .put("refusals_without_hint", clients.stream().mapToLong(ReconnectingFrontend::refusals).sum());
  }

  private static long percentile(List<Long> sorted, int percent) {
    return sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1, sorted.size() * percent / 100));
  }

  private static long last(List<Long> sorted) {
    return sorted.isEmpty() ? 0 : sorted.get(sorted.size() - 1);
  }

  private static double round(double value) {
    return Math.round(value * 100) / 100.0;
  }
}
