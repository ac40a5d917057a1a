package io.agenthub.gateway;

import io.agenthub.protocol.Fields;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.Set;

/**
 * Status-change announcements that reach the gateway back to back, while its event loop is still busy writing, sent
 * as one update: the latest full list, naming every agent that changed. Under churn this spares every client a full
 * list per change. A batch never holds two changes of one agent, so every client still sees every state of every
 * agent.
 */
final class StatusBatch {
  private JsonObject latest;
  private final JsonArray changed = new JsonArray();
  private final Set<String> agentIds = new HashSet<>();

  /** A {@code GATEWAY_…BROADCAST} payload announcing agents that changed, which is what a batch holds. */
  static boolean isStatusChange(JsonObject broadcast) {
    return broadcast.getJsonArray("changed") != null;
  }

  /** Whether the announcement can join: same recipients, and none of its agents already in the batch. */
  boolean accepts(JsonObject announcement) {
    if (latest == null) {
      return true;
    }
    if (!latest.getJsonArray("roles").equals(announcement.getJsonArray("roles"))) {
      return false;
    }
    return changedIds(announcement).stream().noneMatch(agentIds::contains);
  }

  void add(JsonObject announcement) {
    latest = announcement;
    changed.addAll(announcement.getJsonArray("changed"));
    agentIds.addAll(changedIds(announcement));
  }

  /** One broadcast payload: the latest frame (its list already holds every earlier change) and all changed agents. */
  JsonObject toBroadcast() {
    return latest.copy().put("changed", changed.copy());
  }

  private static Set<String> changedIds(JsonObject announcement) {
    Set<String> ids = new HashSet<>();
    JsonArray agents = announcement.getJsonArray("changed");
    for (int i = 0; i < agents.size(); i++) {
      ids.add(agents.getJsonObject(i).getString(Fields.AGENT_ID));
    }
    return ids;
  }
}
