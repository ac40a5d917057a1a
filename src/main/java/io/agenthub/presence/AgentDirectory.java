package io.agenthub.presence;

import io.agenthub.protocol.Fields;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.LocalDateTime;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * This instance's view of every agent of the deployment, from which it builds the status lists its clients get.
 * Each record carries a revision that the instance deciding about the agent raises on every change of its status.
 * Announcements from different instances may arrive in any order, and a list read from the shared store may be a
 * moment old, so a record is taken only when it is newer than the one already known: a late message cannot undo a
 * later change.
 */
final class AgentDirectory {
  /** Record key raised on every status change of an agent; never sent to clients. */
  static final String REVISION = "revision";

  /** Enough to outlast any announcement still on its way when an agent is forgotten. */
  private static final int MAX_FORGOTTEN = 10_000;

  private final Map<String, JsonObject> agents = new TreeMap<>();
  /**
   * Agents forgotten (see {@link OfflineRetention}) with their last revision, the most recent ones: a late
   * announcement of that revision or an older one must not bring a forgotten agent back.
   */
  private final Map<String, Long> forgotten = new LinkedHashMap<>() {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
      return size() > MAX_FORGOTTEN;
    }
  };

  /**
   * Takes a record of a newer revision and returns true: its agent changed. A record of the same revision only
   * refreshes {@code last_seen} when it is later (a PONG changes nothing else) and returns false, like an older one.
   */
  boolean merge(JsonObject record) {
    String agentId = record.getString(Fields.AGENT_ID);
    JsonObject known = agents.get(agentId);
    if (known == null && revisionOf(record) <= forgotten.getOrDefault(agentId, 0L)) {
      return false;
    }
    if (known == null || revisionOf(record) > revisionOf(known)) {
      agents.put(agentId, record.copy());
      forgotten.remove(agentId);
      return true;
    }
    refresh(record);
    return false;
  }

  /**
   * Takes a later {@code last_seen} from a record of the revision already known, and nothing else: the announcement
   * of a newer revision must still find it new when it arrives.
   */
  void refresh(JsonObject record) {
    JsonObject known = agents.get(record.getString(Fields.AGENT_ID));
    if (known != null && revisionOf(record) == revisionOf(known) && lastSeen(record).isAfter(lastSeen(known))) {
      known.put(Fields.LAST_SEEN, record.getString(Fields.LAST_SEEN));
    }
  }

  /** Merges every record; returns those that changed an agent. */
  List<JsonObject> mergeAll(Collection<JsonObject> records) {
    return records.stream().filter(this::merge).toList();
  }

  /** The revision known for the agent, that of its last record when it was forgotten, 0 when it is unknown. */
  long revisionOf(String agentId) {
    JsonObject known = agents.get(agentId);
    return known == null ? forgotten.getOrDefault(agentId, 0L) : revisionOf(known);
  }

  /**
   * Drops an agent whose record of that revision was removed from the shared store; false when a newer record is
   * known here (the agent came back meanwhile) or the agent is not known.
   */
  boolean forget(String agentId, long revision) {
    JsonObject known = agents.get(agentId);
    if (known != null && revisionOf(known) > revision) {
      return false;
    }
    forgotten.merge(agentId, revision, Math::max);
    return agents.remove(agentId) != null;
  }

  /** Every record as merged, presence's own keys included; a view, not to be changed. */
  Collection<JsonObject> records() {
    return Collections.unmodifiableCollection(agents.values());
  }

  /** Every agent as clients see them, in id order. */
  JsonArray forClients() {
    return forClients(agents.values());
  }

  /** The records as clients see them: without presence's own keys. */
  static JsonArray forClients(Collection<JsonObject> records) {
    JsonArray list = new JsonArray();
    for (JsonObject agent : records) {
      list.add(new JsonObject()
          .put(Fields.AGENT_ID, agent.getString(Fields.AGENT_ID))
          .put(Fields.AGENT_NAME, agent.getString(Fields.AGENT_NAME))
          .put(Fields.IS_ONLINE, agent.getBoolean(Fields.IS_ONLINE))
          .put(Fields.LAST_SEEN, agent.getString(Fields.LAST_SEEN)));
    }
    return list;
  }

  static long revisionOf(JsonObject record) {
    return record.getLong(REVISION, 0L);
  }

  private static LocalDateTime lastSeen(JsonObject record) {
    return LocalDateTime.parse(record.getString(Fields.LAST_SEEN));
  }
}
