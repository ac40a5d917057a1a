package io.agenthub.bus;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Published on {@link Addresses#PRESENCE_CHANGED}: every agent as presence now knows them, and the ones whose
 * status just changed (both {@code [{"agent_id", "agent_name", "is_online", "last_seen"}]}), and the ids of the
 * changed agents that stream their answers (protocol extension "streamed replies"; the bridge records what it hands
 * them), which clients are not shown.
 */
public record PresenceChanged(JsonArray agents, JsonArray changed, JsonArray streaming) {

  /** A change in which no changed agent streams its answers. */
  public PresenceChanged(JsonArray agents, JsonArray changed) {
    this(agents, changed, new JsonArray());
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("agents", agents)
        .put("changed", changed)
        .put("streaming", streaming);
  }

  public static PresenceChanged fromJson(JsonObject json) {
    return new PresenceChanged(json.getJsonArray("agents"), json.getJsonArray("changed"),
        json.getJsonArray("streaming", new JsonArray()));
  }
}
