package io.agenthub.chaos;

import io.agenthub.protocol.Queues;
import io.agenthub.support.Await;
import io.agenthub.support.ClusterNodes;
import io.agenthub.support.HubProcess;
import io.agenthub.support.RabbitVhost;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * kill9 / sigterm: three clustered hub JVMs on one vhost with the legacy broker routing ({@link LegacyBroker}: a
 * frontend sees its answer only as a monitoring copy), echo agents on the first two instances, frontends spread over
 * all three. Halfway through the measured window the third instance is killed with SIGKILL, or stopped with SIGTERM.
 * Its frontends register again on a survivor; what they had in flight when their socket went is counted apart
 * ({@code on_lost_instance}), since the contract cannot promise it. Everything else, the survivors' frontends above
 * all, is held to the contract.
 */
final class InstanceLossScenario {
  private static final int INSTANCES = 3;
  private static final int VICTIM = INSTANCES - 1;

  private InstanceLossScenario() {
  }

  static JsonObject run(ChaosRun run, boolean kill) throws Exception {
    List<HubProcess> hubs = new ArrayList<>();
    try (RabbitVhost vhost = RabbitVhost.create("chaos-cluster")) {
      try {
        hubs.addAll(startCluster(run, vhost));
        Await.until("all instances consume " + Queues.BROKER_OUTPUT, Duration.ofSeconds(60),
            () -> vhost.consumerCount(Queues.BROKER_OUTPUT) == INSTANCES);
        List<String> survivorUrls = List.of(hubs.get(0).webSocketUrl(), hubs.get(1).webSocketUrl());
        List<String> agents = run.startEchoAgents(survivorUrls, 5672, vhost.name());
        try (LegacyBroker broker = LegacyBroker.start(5672, vhost.name(), agents)) {
          ChaosRun.Timeline timeline = run.timeline();
          List<ChaosFrontend> frontends = run.startFrontends(i -> i % INSTANCES == VICTIM
              ? List.of(hubs.get(VICTIM).webSocketUrl(), survivorUrls.get(i % 2))
              : List.of(hubs.get(i % INSTANCES).webSocketUrl()), -1, timeline.end());
          List<ChaosFrontend> moved = new ArrayList<>();
          for (int i = 0; i < frontends.size(); i++) {
            if (i % INSTANCES == VICTIM) {
              moved.add(frontends.get(i));
              frontends.get(i).markOnDoomedInstance();
            }
          }
          ChaosRun.sleepUntil(timeline.at(0.5));
          run.faultBegins();
          long lostAt = System.nanoTime();
          Integer exitCode = null;
          if (kill) {
            hubs.get(VICTIM).kill();
          } else {
            exitCode = hubs.get(VICTIM).terminate();
          }
          run.awaitRecovery(lostAt, moved.stream().map(ChaosFrontend::key).toArray(String[]::new));
          run.drain();
          JsonArray movedRecovery = new JsonArray();
          moved.forEach(frontend -> movedRecovery.add(run.ledger.recoveryMillis(lostAt, frontend.key())));
          JsonObject survivorsLog = new JsonObject();
          for (int i = 0; i < VICTIM; i++) {
            survivorsLog.put("instance_" + (i + 1), ChaosRun.logErrors(hubs.get(i)).put("file",
                hubs.get(i).logFile().toString()));
          }
          JsonObject summary = run.summary(List.of(lostAt))
              .put("instances", INSTANCES)
              .put("signal", kill ? "SIGKILL" : "SIGTERM")
              .put("victim_exit_code", exitCode)
              .put("victim_stopped_cleanly", hubs.get(VICTIM).log().contains("Agent Hub stopped"))
              .put("moved_frontends", moved.size())
              .put("moved_frontends_recovery_ms", movedRecovery)
              .put("on_lost_instance", run.ledger.summary(Ledger.Group.ON_LOST_INSTANCE))
              .put("dead_lettered", vhost.messageCount(Queues.UNDELIVERABLE))
              .put("survivors_log", survivorsLog);
          run.close();
          return summary;
        }
      } finally {
        run.close();
        stopAll(hubs);
      }
    }
  }

  /** SIGTERM to every instance at once: each leaves the cluster on its own time. */
  static void stopAll(List<HubProcess> hubs) throws InterruptedException {
    List<Thread> stopping = new ArrayList<>();
    for (HubProcess hub : hubs) {
      Thread stopper = new Thread(() -> {
        try {
          hub.close();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "chaos-stop-hub-" + hub.port());
      stopper.start();
      stopping.add(stopper);
    }
    for (Thread stopper : stopping) {
      stopper.join();
    }
  }

  /**
   * The first instance starts alone and forms the cluster; the others then join it together. Three JVMs forming a
   * cluster at once on a loaded machine can take longer than the 30 s a hub allows itself to start.
   */
  static List<HubProcess> startCluster(ChaosRun run, RabbitVhost vhost) throws Exception {
    List<Integer> members = new ArrayList<>();
    for (int i = 0; i < INSTANCES; i++) {
      members.add(ClusterNodes.freePort());
    }
    List<HubProcess> hubs = new ArrayList<>();
    hubs.add(startInstance(run, vhost, members, 0));
    ExecutorService starters = Executors.newFixedThreadPool(INSTANCES - 1);
    List<CompletableFuture<HubProcess>> joining = new ArrayList<>();
    for (int i = 1; i < INSTANCES; i++) {
      int index = i;
      joining.add(CompletableFuture.supplyAsync(() -> {
        try {
          return startInstance(run, vhost, members, index);
        } catch (Exception e) {
          throw new IllegalStateException("instance-" + (index + 1) + " did not start", e);
        }
      }, starters));
    }
    starters.shutdown();
    RuntimeException failure = null;
    for (CompletableFuture<HubProcess> hub : joining) {
      try {
        hubs.add(hub.join());
      } catch (RuntimeException e) {
        failure = failure == null ? e : failure;
      }
    }
    if (failure != null) {
      stopAll(hubs);
      throw failure;
    }
    return hubs;
  }

  private static HubProcess startInstance(ChaosRun run, RabbitVhost vhost, List<Integer> members, int index)
      throws Exception {
    JsonObject settings = ClusterNodes.clusterSettings(members.get(index), members)
        .put("RABBITMQ_RECONNECT_MIN_MS", 100).put("RABBITMQ_RECONNECT_MAX_MS", 1000);
    return run.startHub("instance-" + (index + 1), 5672, vhost.name(), settings);
  }
}
