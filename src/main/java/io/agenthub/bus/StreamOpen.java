package io.agenthub.bus;

import io.vertx.core.json.JsonObject;

/**
 * Request on {@link StreamAddresses#STREAMS_OPEN} from the gateway holding the agent's socket: open a stream answering
 * {@code inReplyTo}, or take back {@code streamId} after a reconnect (one of the two is null). Replied with
 * {@link StreamOpened}, or failed with {@link Failures#STREAM_REFUSED} ({@link StreamRefusal}).
 */
public record StreamOpen(String agentId, String agentName, String inReplyTo, String streamId) {

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("agent_id", agentId).put("agent_name", agentName);
    if (inReplyTo != null) {
      json.put("in_reply_to", inReplyTo);
    }
    if (streamId != null) {
      json.put("stream_id", streamId);
    }
    return json;
  }

  public static StreamOpen fromJson(JsonObject json) {
    return new StreamOpen(json.getString("agent_id"), json.getString("agent_name"), json.getString("in_reply_to"),
        json.getString("stream_id"));
  }
}
