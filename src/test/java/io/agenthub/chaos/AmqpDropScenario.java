package io.agenthub.chaos;

import io.agenthub.protocol.Queues;
import io.agenthub.support.HubProcess;
import io.agenthub.support.RabbitVhost;
import io.agenthub.support.TcpProxy;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * amqp-drop: one hub whose RabbitMQ connection runs through a {@link TcpProxy}; the proxy cuts it {@code --cuts}
 * times (default 2) at even spacing within the measured window, as a network failure would. RabbitMQ itself and the
 * companions (reference broker, echo agents, connected to it directly) carry on; the hub reconnects.
 */
final class AmqpDropScenario {
  private AmqpDropScenario() {
  }

  static JsonObject run(ChaosRun run) throws Exception {
    int cuts = run.options.integer("cuts", 2);
    try (RabbitVhost vhost = RabbitVhost.create("chaos-amqp-drop");
         TcpProxy proxy = TcpProxy.to(5672);
         HubProcess hub = run.startHub("hub", proxy.port(), vhost.name(),
             new JsonObject().put("MONITOR_ALL_TRAFFIC", false));
         ReadinessProbe readiness = new ReadinessProbe(hub.port())) {
      run.startReferenceCompanions(hub.webSocketUrl(), 5672, vhost.name());
      ChaosRun.Timeline timeline = run.timeline();
      run.startFrontends(i -> List.of(hub.webSocketUrl()), -1, timeline.end());
      List<Long> cutAt = new ArrayList<>();
      for (int cut = 1; cut <= cuts; cut++) {
        ChaosRun.sleepUntil(timeline.at(cut / (cuts + 1.0)));
        run.faultBegins();
        proxy.cutAll();
        cutAt.add(System.nanoTime());
        run.awaitRecovery(cutAt.get(cutAt.size() - 1));
      }
      run.drain();
      readiness.close();
      JsonObject summary = run.summary(cutAt)
          .put("cuts", cuts)
          .put("ready_down_ms", readiness.downSpellsMillis())
          .put("dead_lettered", vhost.messageCount(Queues.UNDELIVERABLE))
          .put("hub_repeats", ChaosRun.hubRepeats(hub))
          .put("hub_log", ChaosRun.logErrors(hub).put("file", hub.logFile().toString()));
      run.close();
      return summary;
    }
  }
}
