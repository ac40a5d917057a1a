package io.agenthub.chaos;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.TreeMap;

/** What the frontends saw besides answers: sockets the hub closed (by close code), reconnects, resumes, timeouts. */
final class ChaosCounters {
  private final Map<String, Long> closedByHub = new TreeMap<>();
  private long reconnects;
  private long resumesGranted;
  private long resumesRefused;
  private long timeouts;

  synchronized void closedByHub(Short code) {
    closedByHub.merge(code == null ? "none" : code.toString(), 1L, Long::sum);
  }

  synchronized void reconnected() {
    reconnects++;
  }

  synchronized void resumeAsked(boolean granted) {
    if (granted) {
      resumesGranted++;
    } else {
      resumesRefused++;
    }
  }

  synchronized void timedOut() {
    timeouts++;
  }

  synchronized JsonObject toJson() {
    JsonObject closes = new JsonObject();
    closedByHub.forEach(closes::put);
    return new JsonObject()
        .put("sockets_closed_by_hub", closedByHub.values().stream().mapToLong(Long::longValue).sum())
        .put("sockets_closed_by_code", closes)
        .put("reconnects", reconnects)
        .put("resumes_granted", resumesGranted)
        .put("resumes_refused", resumesRefused)
        .put("loop_timeouts", timeouts);
  }
}
