package io.agenthub.bus;

import io.vertx.core.json.JsonObject;

/**
 * Reply of {@link Addresses#PRESENCE_AGENT}: {@code agent} ({@code {"agent_id", "agent_name", "is_online",
 * "last_seen"}}) is null when not known.
 */
public record AgentLookup(boolean known, JsonObject agent) {

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("known", known);
    if (agent != null) {
      json.put("agent", agent);
    }
    return json;
  }

  public static AgentLookup fromJson(JsonObject json) {
    return new AgentLookup(json.getBoolean("known", false), json.getJsonObject("agent"));
  }
}
