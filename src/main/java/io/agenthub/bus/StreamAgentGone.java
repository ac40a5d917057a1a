package io.agenthub.bus;

import io.vertx.core.json.JsonObject;

/**
 * Sent on {@link StreamAddresses#STREAMS_AGENT_GONE} by the gateway when an agent's socket closed: its open streams
 * wait STREAM_IDLE_TIMEOUT for it to come back and take them over, then end as failed.
 */
public record StreamAgentGone(String agentId) {

  public JsonObject toJson() {
    return new JsonObject().put("agent_id", agentId);
  }

  public static StreamAgentGone fromJson(JsonObject json) {
    return new StreamAgentGone(json.getString("agent_id"));
  }
}
