package io.agenthub.protocol;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.stream.Stream;

/**
 * One agent as every client sees it in an {@code AGENT_STATUS_UPDATE}'s {@code agents} list: exactly
 * {@code {"agent_id", "agent_name", "is_online", "last_seen"}}, the contract's entry. Whatever else the hub knows of
 * an agent stays out of it.
 */
public record AgentStatusEntry(String agentId, String agentName, boolean online, Instant lastSeen) {

  public JsonObject toJson() {
    return new JsonObject()
        .put(Fields.AGENT_ID, agentId)
        .put(Fields.AGENT_NAME, agentName)
        .put(Fields.IS_ONLINE, online)
        .put(Fields.LAST_SEEN, Timestamps.format(lastSeen));
  }

  /** The entries as the list of a status update, in the order given. */
  public static JsonArray list(Stream<AgentStatusEntry> entries) {
    JsonArray list = new JsonArray();
    entries.forEach(entry -> list.add(entry.toJson()));
    return list;
  }
}
