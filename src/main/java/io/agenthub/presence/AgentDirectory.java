package io.agenthub.presence;

import io.agenthub.protocol.AgentStatusEntry;
import io.vertx.core.json.JsonArray;
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
  /** Enough to outlast any announcement still on its way when an agent is forgotten. */
  private static final int MAX_FORGOTTEN = 10_000;

  private final Map<String, AgentPresence> agents = new TreeMap<>();
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
   * Raised by every change of what {@link #forClients()} shows. Between two changes thousands of clients may register
   * and each is shown the same list: it is built once per version, and an asker that holds the current version is
   * told so instead of being sent it again.
   */
  private long version = 1;
  /** The list of the current version, built when first asked for; null until then. */
  private JsonArray clientView;

  /**
   * Takes a record of a newer revision and returns true: its agent changed. A record of the same revision only
   * refreshes {@code lastSeen} when it is later (a PONG changes nothing else) and returns false, like an older one.
   */
  boolean merge(AgentPresence record) {
    String agentId = record.agentId();
    AgentPresence known = agents.get(agentId);
    if (known == null && record.revision() <= forgotten.getOrDefault(agentId, 0L)) {
      return false;
    }
    if (known == null || record.revision() > known.revision()) {
      agents.put(agentId, record);
      forgotten.remove(agentId);
      changed();
      return true;
    }
    refresh(record);
    return false;
  }

  /**
   * Takes a later {@code lastSeen} from a record of the revision already known, and nothing else: the announcement
   * of a newer revision must still find it new when it arrives.
   */
  void refresh(AgentPresence record) {
    AgentPresence known = agents.get(record.agentId());
    if (known != null && record.revision() == known.revision() && record.lastSeen().isAfter(known.lastSeen())) {
      agents.put(known.agentId(), known.seen(record.lastSeen()));
      changed();
    }
  }

  /** Merges every record; returns those that changed an agent. */
  List<AgentPresence> mergeAll(Collection<AgentPresence> records) {
    return records.stream().filter(this::merge).toList();
  }

  /** The revision known for the agent, that of its last record when it was forgotten, 0 when it is unknown. */
  long revisionOf(String agentId) {
    AgentPresence known = agents.get(agentId);
    return known == null ? forgotten.getOrDefault(agentId, 0L) : known.revision();
  }

  /**
   * Drops an agent whose record of that revision was removed from the shared store; false when a newer record is
   * known here (the agent came back meanwhile) or the agent is not known.
   */
  boolean forget(String agentId, long revision) {
    AgentPresence known = agents.get(agentId);
    if (known != null && known.revision() > revision) {
      return false;
    }
    forgotten.merge(agentId, revision, Math::max);
    if (agents.remove(agentId) == null) {
      return false;
    }
    changed();
    return true;
  }

  private void changed() {
    version++;
    clientView = null;
  }

  /** The version of the list {@link #forClients()} returns now; every change raises it. */
  long version() {
    return version;
  }

  /** The record of an agent, or null when it is not known. */
  AgentPresence get(String agentId) {
    return agents.get(agentId);
  }

  /** Every record as merged, in id order; a view. */
  Collection<AgentPresence> records() {
    return Collections.unmodifiableCollection(agents.values());
  }

  /**
   * Every agent as clients see them, in id order: one list per {@link #version()}, shared by every caller until the
   * next change, so callers hand it on (the event bus copies what it delivers) and never change it.
   */
  JsonArray forClients() {
    if (clientView == null) {
      clientView = forClients(agents.values());
    }
    return clientView;
  }

  /** The ids of those records whose agents stream their answers (protocol extension "streamed replies"). */
  static JsonArray streaming(Collection<AgentPresence> records) {
    JsonArray ids = new JsonArray();
    records.stream().filter(AgentPresence::streams).forEach(agent -> ids.add(agent.agentId()));
    return ids;
  }

  /** The records as clients see them: the contract's entry of each, nothing of presence's own. */
  static JsonArray forClients(Collection<AgentPresence> records) {
    return AgentStatusEntry.list(records.stream().map(AgentPresence::statusEntry));
  }
}
