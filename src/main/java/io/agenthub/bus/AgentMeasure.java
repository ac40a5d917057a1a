package io.agenthub.bus;

import io.vertx.core.json.JsonObject;

/**
 * What one instance measured of one agent, in a {@link LoadMeasures}. Times are epoch milliseconds of the measuring
 * instance's clock; every figure but {@code unanswered} and {@code answers} may be unknown (null).
 *
 * @param queueDepth messages ready in the agent's queue, polled by the instance holding its socket only
 * @param unanswered messages this instance handed the agent that are not answered yet
 * @param waitingSince when the oldest of them was handed, or since when the queue has held messages
 * @param lastAnswerAt when this instance last saw the agent answer
 * @param latencyMs the recent time from handing to answer, as this instance measured it
 * @param answers answers this instance saw in the last interval, to weigh its latency against the others'
 * @param reported the figures of the agent's last PONG ({@code protocol.ReportedLoad}), from its instance only
 */
public record AgentMeasure(Integer queueDepth, int unanswered, Long waitingSince, Long lastAnswerAt, Long latencyMs,
    int answers, JsonObject reported) {

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("unanswered", unanswered).put("answers", answers);
    putIfKnown(json, "queue_depth", queueDepth);
    putIfKnown(json, "waiting_since", waitingSince);
    putIfKnown(json, "last_answer_at", lastAnswerAt);
    putIfKnown(json, "latency_ms", latencyMs);
    putIfKnown(json, "reported", reported);
    return json;
  }

  public static AgentMeasure fromJson(JsonObject json) {
    return new AgentMeasure(json.getInteger("queue_depth"), json.getInteger("unanswered", 0),
        json.getLong("waiting_since"), json.getLong("last_answer_at"), json.getLong("latency_ms"),
        json.getInteger("answers", 0), json.getJsonObject("reported"));
  }

  /** The same measure with the agent's PONG figures added. */
  public AgentMeasure withReported(JsonObject figures) {
    return new AgentMeasure(queueDepth, unanswered, waitingSince, lastAnswerAt, latencyMs, answers, figures);
  }

  private static void putIfKnown(JsonObject json, String key, Object value) {
    if (value != null) {
      json.put(key, value);
    }
  }
}
