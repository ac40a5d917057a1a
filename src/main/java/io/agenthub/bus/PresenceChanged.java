package io.agenthub.bus;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Published on {@link Addresses#PRESENCE_CHANGED}: every agent as presence now knows them, and the ones whose
 * status just changed (both {@code [{"agent_id", "agent_name", "is_online", "last_seen"}]}).
 */
public record PresenceChanged(JsonArray agents, JsonArray changed) {

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("agents", agents)
        .put("changed", changed);
    return json;
  }

  public static PresenceChanged fromJson(JsonObject json) {
    return new PresenceChanged(json.getJsonArray("agents"), json.getJsonArray("changed"));
  }
}
