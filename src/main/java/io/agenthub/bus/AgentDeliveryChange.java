package io.agenthub.bus;

import io.vertx.core.json.JsonObject;

/**
 * Sent on {@link Addresses#BRIDGE_AGENT_DELIVERY}: start ({@code websocket} true) or stop consuming the agent's
 * queue for its socket.
 */
public record AgentDeliveryChange(String agentId, boolean websocket) {

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("agent_id", agentId)
        .put("websocket", websocket);
    return json;
  }

  public static AgentDeliveryChange fromJson(JsonObject json) {
    return new AgentDeliveryChange(json.getString("agent_id"), json.getBoolean("websocket", false));
  }
}
