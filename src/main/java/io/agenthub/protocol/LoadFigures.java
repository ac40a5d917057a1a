package io.agenthub.protocol;

import io.vertx.core.json.JsonObject;

/**
 * Protocol extension "live load": an agent's load as clients that asked for agent details see it, in {@code "load"}.
 * What the hub measures itself ({@code queue_depth}, {@code unanswered}, {@code latency_ms}) and what the agent
 * reported in its last PONG ({@code tasks_in_progress}, {@code tokens_per_second}); a figure not known is left out.
 *
 * @param queueDepth messages ready in {@code agent_queue_<id>} (RabbitMQ's count), null when not measured
 * @param unanswered messages the hub handed the agent that it has not answered yet
 * @param latencyMs the recent time from handing a message to its answer, null before the first answer
 */
public record LoadFigures(Integer queueDepth, int unanswered, Long latencyMs, ReportedLoad reported) {
  public static final String QUEUE_DEPTH = "queue_depth";
  public static final String UNANSWERED = "unanswered";
  public static final String LATENCY_MS = "latency_ms";
  /** Nothing measured: an agent the hub has not handed anything. */
  public static final LoadFigures NONE = new LoadFigures(null, 0, null, null);

  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    if (queueDepth != null) {
      json.put(QUEUE_DEPTH, queueDepth);
    }
    json.put(UNANSWERED, unanswered);
    if (latencyMs != null) {
      json.put(LATENCY_MS, latencyMs);
    }
    return reported == null ? json : json.mergeIn(reported.toJson());
  }

  public static LoadFigures fromJson(JsonObject json) {
    JsonObject reported = new JsonObject();
    if (json.containsKey(ReportedLoad.TASKS_IN_PROGRESS)) {
      reported.put(ReportedLoad.TASKS_IN_PROGRESS, json.getValue(ReportedLoad.TASKS_IN_PROGRESS));
    }
    if (json.containsKey(ReportedLoad.TOKENS_PER_SECOND)) {
      reported.put(ReportedLoad.TOKENS_PER_SECOND, json.getValue(ReportedLoad.TOKENS_PER_SECOND));
    }
    return new LoadFigures(json.getInteger(QUEUE_DEPTH), json.getInteger(UNANSWERED, 0), json.getLong(LATENCY_MS),
        reported.isEmpty() ? null : ReportedLoad.fromJson(reported));
  }
}
