package io.agenthub.bus;

import io.vertx.core.json.JsonObject;

/**
 * Request on {@link StreamAddresses#STREAMS_END} from the gateway holding the agent's socket: the agent ended its
 * stream after {@code chunks} chunks, {@code reason} being {@code complete}, {@code cancelled} or {@code failed} (with
 * the agent's {@code error}, nullable). Replied empty, or failed with {@link Failures#STREAM_REFUSED}.
 */
public record StreamFinish(String agentId, String streamId, long chunks, String reason, String error) {

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("agent_id", agentId).put("stream_id", streamId).put("chunks", chunks)
        .put("reason", reason);
    if (error != null) {
      json.put("error", error);
    }
    return json;
  }

  public static StreamFinish fromJson(JsonObject json) {
    return new StreamFinish(json.getString("agent_id"), json.getString("stream_id"), json.getLong("chunks"),
        json.getString("reason"), json.getString("error"));
  }
}
