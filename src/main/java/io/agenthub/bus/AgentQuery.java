package io.agenthub.bus;

import io.vertx.core.json.JsonObject;

/** Request on {@link Addresses#PRESENCE_AGENT}. */
public record AgentQuery(String agentId) {

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("agent_id", agentId);
    return json;
  }

  public static AgentQuery fromJson(JsonObject json) {
    return new AgentQuery(json.getString("agent_id"));
  }
}
