package io.agenthub.bus;

import io.vertx.core.json.JsonObject;

/**
 * Sent on {@link StreamAddresses#GATEWAY_STREAM_CANCEL} by the stream's writer to its own gateway: tell the agent,
 * whose socket it holds, to stop writing the stream (the gateway renders STREAM_CANCEL).
 */
public record StreamCancelNotice(String agentId, String streamId, String inReplyTo) {

  public JsonObject toJson() {
    return new JsonObject().put("agent_id", agentId).put("stream_id", streamId).put("in_reply_to", inReplyTo);
  }

  public static StreamCancelNotice fromJson(JsonObject json) {
    return new StreamCancelNotice(json.getString("agent_id"), json.getString("stream_id"),
        json.getString("in_reply_to"));
  }
}
