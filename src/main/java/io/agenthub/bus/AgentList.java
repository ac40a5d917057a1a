package io.agenthub.bus;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Reply of {@link Addresses#PRESENCE_AGENTS}: {@code [{"agent_id", "agent_name", "is_online", "last_seen"}]}, the
 * ids of those that stream their answers (protocol extension "streamed replies"), which clients are not shown, and
 * the list's version (0 when the sender keeps none). Both lists are null in the reply to an asker that already holds
 * this version ({@link AgentsQuery#knownVersion()}).
 */
public record AgentList(JsonArray agents, JsonArray streaming, long version) {

  public AgentList(JsonArray agents) {
    this(agents, new JsonArray());
  }

  public AgentList(JsonArray agents, JsonArray streaming) {
    this(agents, streaming, 0);
  }

  /** The reply to an asker that holds the current version already. */
  public static AgentList unchangedAt(long version) {
    return new AgentList(null, null, version);
  }

  /** True when the asker's list is the current one, and the reply carries none. */
  public boolean unchanged() {
    return agents == null;
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("agents", agents)
        .put("streaming", streaming)
        .put("version", version);
  }

  public static AgentList fromJson(JsonObject json) {
    JsonArray agents = json.getJsonArray("agents");
    return new AgentList(agents, agents == null ? null : json.getJsonArray("streaming", new JsonArray()),
        json.getLong("version", 0L));
  }
}
