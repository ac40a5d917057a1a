package io.agenthub.gateway;

import io.agenthub.bus.PresenceChanged;
import io.agenthub.protocol.Fields;
import io.vertx.core.json.JsonArray;
import java.util.HashSet;
import java.util.Set;

/**
 * Presence changes that reach the gateway back to back, while its event loop is still busy writing, sent as one
 * update: the latest full list, naming every agent that changed. Under churn this spares every client a full list per
 * change. A batch never holds two changes of one agent, so every client still sees every state of every agent.
 */
final class StatusBatch {
  private JsonArray latestAgents;
  private final JsonArray changed = new JsonArray();
  private final Set<String> agentIds = new HashSet<>();

  /** Whether the change can join: none of its agents already in the batch. */
  boolean accepts(PresenceChanged change) {
    return changedIds(change).stream().noneMatch(agentIds::contains);
  }

  void add(PresenceChanged change) {
    latestAgents = change.agents();
    changed.addAll(change.changed());
    agentIds.addAll(changedIds(change));
  }

  /** One change: the latest list (it already holds every earlier change) and all the agents that changed. */
  PresenceChanged toChange() {
    return new PresenceChanged(latestAgents, changed.copy());
  }

  private static Set<String> changedIds(PresenceChanged change) {
    Set<String> ids = new HashSet<>();
    JsonArray agents = change.changed();
    for (int i = 0; i < agents.size(); i++) {
      ids.add(agents.getJsonObject(i).getString(Fields.AGENT_ID));
    }
    return ids;
  }
}
