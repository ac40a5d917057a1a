package io.agenthub.bus;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Published on {@link Addresses#PRESENCE_REPLICATION}: agent records with their revisions ({@code [{"agent_id",
 * "agent_name", "is_online", "last_seen", "node_id", "connected", "revision"}]}), and the offline agents forgotten
 * by retention ({@code [{"agent_id", "revision"}]}, nullable).
 */
public record PresenceReplication(JsonArray agents, JsonArray forgotten) {

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("agents", agents);
    if (forgotten != null) {
      json.put("forgotten", forgotten);
    }
    return json;
  }

  public static PresenceReplication fromJson(JsonObject json) {
    return new PresenceReplication(json.getJsonArray("agents"), json.getJsonArray("forgotten"));
  }
}
