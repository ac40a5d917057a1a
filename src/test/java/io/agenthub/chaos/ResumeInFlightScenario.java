package io.agenthub.chaos;

import io.agenthub.protocol.Queues;
import io.agenthub.support.HubProcess;
import io.agenthub.support.RabbitVhost;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * resume-in-flight: every frontend closes its socket right after sending a TEXT, while the agent's reply is on its
 * way, and after {@code --away-ms} (default 100) registers again with {@code REGISTER_FRONTEND} carrying its previous
 * {@code frontend_id} (the session-resume extension). The reply counts as answered only if it reaches the resumed
 * socket. No other fault.
 */
final class ResumeInFlightScenario {
  private ResumeInFlightScenario() {
  }

  static JsonObject run(ChaosRun run) throws Exception {
    try (RabbitVhost vhost = RabbitVhost.create("chaos-resume");
         HubProcess hub = run.startHub("hub", 5672, vhost.name(),
             new JsonObject().put("MONITOR_ALL_TRAFFIC", false))) {
      run.startReferenceCompanions(hub.webSocketUrl(), 5672, vhost.name());
      ChaosRun.Timeline timeline = run.timeline();
      run.startFrontends(i -> List.of(hub.webSocketUrl()), run.options.integer("away-ms", 100), timeline.end());
      run.drain();
      JsonObject summary = run.summary(List.of())
          .put("away_ms", run.options.integer("away-ms", 100))
          .put("dead_lettered", vhost.messageCount(Queues.UNDELIVERABLE))
          .put("hub_log", ChaosRun.logErrors(hub).put("file", hub.logFile().toString()));
      run.close();
      return summary;
    }
  }
}
