package io.agenthub.chaos;

import io.agenthub.protocol.Queues;
import io.agenthub.support.Await;
import io.agenthub.support.HubProcess;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * rabbit-restart: a hub, the reference broker and echo agents on a {@link PrivateRabbit} node; a third into the
 * measured window the node is stopped ({@code --restart full}: the whole node, {@code app}: stop_app/start_app),
 * kept down {@code --outage} seconds (default 10), then started again. Recovery runs from the moment RabbitMQ accepts
 * AMQP connections again.
 *
 * <p>rabbit-restart-resume: the same, with resuming frontends ({@code --away-ms}, default 100): each closes its socket
 * right after sending and registers again with its previous frontend_id, so RabbitMQ restarts while resumed
 * clients' messages wait.
 */
final class RabbitRestartScenario {
  private RabbitRestartScenario() {
  }

  /** {@code sharedRabbit}: a node started by the caller (the smoke test), else the run starts and stops its own. */
  static JsonObject run(ChaosRun run, boolean resuming, PrivateRabbit sharedRabbit) throws Exception {
    PrivateRabbit.Restart how = PrivateRabbit.Restart.valueOf(run.options.string("restart", "full").toUpperCase());
    long outageNanos = run.options.nanos("outage", 10);
    try (PrivateRabbit owned = sharedRabbit == null ? PrivateRabbit.start(run.dir) : null) {
      PrivateRabbit rabbit = owned != null ? owned : sharedRabbit;
      return run(run, rabbit, rabbit.addVhost("chaos-restart"), resuming, how, outageNanos);
    }
  }

  private static JsonObject run(ChaosRun run, PrivateRabbit rabbit, String vhost, boolean resuming,
      PrivateRabbit.Restart how, long outageNanos) throws Exception {
    try (HubProcess hub = run.startHub("hub", rabbit.port(), vhost,
             new JsonObject().put("MONITOR_ALL_TRAFFIC", false));
         ReadinessProbe readiness = new ReadinessProbe(hub.port())) {
      run.startReferenceCompanions(hub.webSocketUrl(), rabbit.port(), vhost);
      ChaosRun.Timeline timeline = run.timeline();
      run.startFrontends(i -> List.of(hub.webSocketUrl()), resuming ? run.options.integer("away-ms", 100) : -1,
          timeline.end());
      ChaosRun.sleepUntil(timeline.at(1 / 3.0));
      run.faultBegins();
      long stopAsked = System.nanoTime();
      rabbit.stop(how);
      long stopped = System.nanoTime();
      ChaosRun.sleepUntil(stopped + outageNanos);
      long startAsked = System.nanoTime();
      CompletableFuture<Void> started = CompletableFuture.runAsync(() -> {
        try {
          rabbit.startAgain(how);
        } catch (Exception e) {
          throw new IllegalStateException("starting " + rabbit + " again failed", e);
        }
      });
      Await.atMost(Long.MAX_VALUE, Duration.ofMillis(20), () -> {
        if (started.isCompletedExceptionally()) {
          started.join();
        }
        return rabbit.answers();
      });
      long answering = System.nanoTime();
      run.awaitRecovery(answering);
      started.join();
      run.drain();
      readiness.close();
      JsonObject summary = run.summary(List.of(answering))
          .put("restart", how.name().toLowerCase())
          .put("rabbit_node", rabbit.toString())
          .put("rabbit_stop_ms", millis(stopped - stopAsked))
          .put("rabbit_down_ms", millis(answering - stopped))
          .put("rabbit_start_ms", millis(answering - startAsked))
          .put("ready_down_ms", readiness.downSpellsMillis())
          .put("hub_ready_after_rabbit_ms", readiness.readyAgainAfterMillis(answering))
          .put("dead_lettered", rabbit.messageCount(vhost, Queues.UNDELIVERABLE))
          .put("hub_repeats", ChaosRun.hubRepeats(hub))
          .put("hub_log", ChaosRun.logErrors(hub).put("file", hub.logFile().toString()));
      run.close();
      return summary;
    }
  }

  static double millis(long nanos) {
    return Math.round(nanos / 1e5) / 10.0;
  }
}
