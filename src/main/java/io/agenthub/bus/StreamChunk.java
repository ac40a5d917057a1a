package io.agenthub.bus;

import io.vertx.core.json.JsonObject;

/**
 * Request on {@link StreamAddresses#STREAMS_APPEND} from the gateway holding the agent's socket: chunk {@code seq} of
 * the stream. Replied empty once it is kept and published to the viewers, or failed with
 * {@link Failures#STREAM_REFUSED}.
 */
public record StreamChunk(String agentId, String streamId, long seq, String delta) {

  public JsonObject toJson() {
    return new JsonObject().put("agent_id", agentId).put("stream_id", streamId).put("seq", seq).put("delta", delta);
  }

  public static StreamChunk fromJson(JsonObject json) {
    return new StreamChunk(json.getString("agent_id"), json.getString("stream_id"), json.getLong("seq"),
        json.getString("delta"));
  }
}
