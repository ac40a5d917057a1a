package io.agenthub.bus;

import io.vertx.core.json.JsonObject;

/**
 * Sent on {@link StreamAddresses#STREAMS_ASKED} by the bridge: the message {@code messageId}, sent by
 * {@code requesterId}, was handed to {@code agentId}, an agent that registered with {@code "streams": true}; that
 * agent may now answer it with a stream, which goes to the requester.
 */
public record StreamAsked(String agentId, String messageId, String requesterId) {

  public JsonObject toJson() {
    return new JsonObject()
        .put("agent_id", agentId)
        .put("message_id", messageId)
        .put("requester_id", requesterId);
  }

  public static StreamAsked fromJson(JsonObject json) {
    return new StreamAsked(json.getString("agent_id"), json.getString("message_id"), json.getString("requester_id"));
  }
}
