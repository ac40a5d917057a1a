package io.agenthub.protocol;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/** The ids of the agents known to be online, kept from the agent lists of status updates. */
public final class OnlineAgents {
  private final Set<String> ids = ConcurrentHashMap.newKeySet();

  /** Applies each listed agent's {@code is_online}; agents not listed keep their state. */
  public void update(JsonArray agents) {
    for (int i = 0; i < agents.size(); i++) {
      JsonObject agent = agents.getJsonObject(i);
      if (agent.getBoolean(Fields.IS_ONLINE, false)) {
        ids.add(agent.getString(Fields.AGENT_ID));
      } else {
        ids.remove(agent.getString(Fields.AGENT_ID));
      }
    }
  }

  /** A full list: agents not in it are forgotten. */
  public void replaceWith(JsonArray agents) {
    ids.clear();
    update(agents);
  }

  public boolean contains(String agentId) {
    return agentId != null && ids.contains(agentId);
  }

  public Stream<String> stream() {
    return ids.stream();
  }
}
