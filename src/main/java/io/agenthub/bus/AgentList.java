package io.agenthub.bus;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Reply of {@link Addresses#PRESENCE_AGENTS}: {@code [{"agent_id", "agent_name", "is_online", "last_seen"}]}, and
 * the ids of those that stream their answers (protocol extension "streamed replies"), which clients are not shown.
 */
public record AgentList(JsonArray agents, JsonArray streaming) {

  public AgentList(JsonArray agents) {
    this(agents, new JsonArray());
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("agents", agents)
        .put("streaming", streaming);
  }

  public static AgentList fromJson(JsonObject json) {
    return new AgentList(json.getJsonArray("agents"), json.getJsonArray("streaming", new JsonArray()));
  }
}
