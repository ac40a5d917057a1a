package io.agenthub.chaos;

import io.agenthub.companion.CompanionSettings;
import io.agenthub.companion.EchoAgentCompanion;
import io.agenthub.companion.EchoOptions;
import io.agenthub.protocol.Queues;
import io.agenthub.support.Await;
import io.agenthub.support.HubProcess;
import io.agenthub.support.RabbitVhost;
import io.vertx.core.Future;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * stream-kill9-agent / stream-kill9-frontend: streamed replies through three clustered hub JVMs (streams kept in
 * Hazelcast) while one instance is killed with SIGKILL halfway through. Reference echo agents stream their answers
 * (a word a chunk, {@code --rate} words per second) to viewers that ask one question at a time
 * ({@link StreamViewerClient}); the legacy broker routes the questions. In stream-kill9-agent the killed instance
 * holds the agents' sockets: they reconnect to a survivor and take their streams back. In stream-kill9-frontend it
 * holds viewers' sockets: they reconnect to a survivor, resume their sessions and join their streams again from the
 * chunk after the last they got. Either way every stream must end complete, no chunk lost or repeated
 * ({@link StreamLedger}).
 */
final class StreamChaosScenario {
  private static final int INSTANCES = 3;
  private static final int VICTIM = INSTANCES - 1;

  private StreamChaosScenario() {
  }

  static JsonObject run(ChaosRun run, boolean killAgentsInstance) throws Exception {
    List<HubProcess> hubs = new ArrayList<>();
    StreamLedger ledger = new StreamLedger();
    List<StreamViewerClient> viewers = new ArrayList<>();
    try (RabbitVhost vhost = RabbitVhost.create("chaos-streams")) {
      try {
        hubs.addAll(InstanceLossScenario.startCluster(run, vhost));
        Await.until("all instances consume " + Queues.BROKER_OUTPUT, Duration.ofSeconds(60),
            () -> vhost.consumerCount(Queues.BROKER_OUTPUT) == INSTANCES);
        String victim = hubs.get(VICTIM).webSocketUrl();
        List<String> survivors = List.of(hubs.get(0).webSocketUrl(), hubs.get(1).webSocketUrl());
        List<String> agents = startStreamingAgents(run, vhost, killAgentsInstance ? i -> victim + "," + survivors.get(
            i % 2) : i -> survivors.get(i % 2));
        try (LegacyBroker broker = LegacyBroker.start(5672, vhost.name(), agents)) {
          ChaosRun.Timeline timeline = run.timeline();
          AtomicLong loadEnd = new AtomicLong(timeline.end());
          WebSocketClient webSockets = run.vertx.createWebSocketClient();
          for (int i = 0; i < run.options.integer("frontends", 8); i++) {
            List<String> urls = killAgentsInstance ? List.of(survivors.get(i % 2))
                : List.of(victim, survivors.get(i % 2));
            viewers.add(new StreamViewerClient(run.vertx.getOrCreateContext(), webSockets, "V" + (i + 1), urls,
                ledger, run.options.integer("words", 30), loadEnd));
          }
          ChaosRun.await(Future.all(viewers.stream().map(StreamViewerClient::start).toList()));
          ChaosRun.sleepUntil(timeline.at(0.5));
          long killedAt = System.nanoTime();
          hubs.get(VICTIM).kill();
          awaitViewers(viewers, timeline.end() + run.options.nanos("drain", 30));
          return ledger.summary()
              .put("instances", INSTANCES)
              .put("killed", killAgentsInstance ? "the agents' instance" : "the viewers' instance")
              .put("killed_after_s", (killedAt - timeline.measuredFrom()) / 1e9)
              .put("viewer_reconnects", viewers.stream().mapToInt(StreamViewerClient::reconnects).sum());
        }
      } finally {
        for (StreamViewerClient viewer : viewers) {
          viewer.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        run.close();
        InstanceLossScenario.stopAll(hubs);
      }
    }
  }

  /** Until every viewer's last stream ended, or the deadline: what is still open then counts as unfinished. */
  private static void awaitViewers(List<StreamViewerClient> viewers, long deadlineNanos) throws Exception {
    try {
      Future.all(viewers.stream().map(StreamViewerClient::finished).toList()).toCompletionStage()
          .toCompletableFuture().get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException stillWaiting) {
      // counted by the ledger: streams started and not ended, questions no stream answered
    }
  }

  /** {@code --agents} streaming echo agents, agent i connecting to {@code urls.apply(i)} (a failover list). */
  private static List<String> startStreamingAgents(ChaosRun run, RabbitVhost vhost,
      java.util.function.IntFunction<String> urls) throws Exception {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < run.options.integer("agents", 2); i++) {
      CompanionSettings settings = new CompanionSettings(urls.apply(i), "127.0.0.1", 5672, "guest", "guest",
          vhost.name());
      EchoAgentCompanion agent = ChaosRun.await(EchoAgentCompanion.start(run.vertx, settings,
          EchoOptions.named("StreamEcho-" + (i + 1)).streaming(run.options.integer("rate", 20))));
      run.addCompanion(() -> ChaosRun.await(agent.stop()));
      ids.add(agent.agentId());
    }
    return ids;
  }
}
