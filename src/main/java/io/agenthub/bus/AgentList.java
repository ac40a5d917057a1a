package io.agenthub.bus;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Reply of {@link Addresses#PRESENCE_AGENTS}: {@code [{"agent_id", "agent_name", "is_online", "last_seen"}]}. */
public record AgentList(JsonArray agents) {

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("agents", agents);
    return json;
  }

  public static AgentList fromJson(JsonObject json) {
    return new AgentList(json.getJsonArray("agents"));
  }
}
