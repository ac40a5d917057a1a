package io.agenthub.companion;

import io.agenthub.protocol.AgentCard;
import io.agenthub.protocol.AgentDetails;
import io.agenthub.protocol.AgentGrade;
import io.agenthub.protocol.Fields;
import io.agenthub.protocol.LoadFigures;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The agents as the broker's status updates show them: who is online and, when the broker registered with
 * {@code "status_updates":"details"}, what each can do (its card's skills) and how busy the hub finds it. Full
 * updates replace the board; deltas replace the agents they name.
 */
final class AgentBoard {

  /** One agent as last shown; without details it has no skills and no load. */
  record Agent(String id, boolean online, Set<String> skills, boolean stale, Integer maxConcurrency, int queueDepth,
      int unanswered, Long latencyMs) {

    static Agent of(JsonObject entry) {
      JsonObject card = entry.getJsonObject(AgentDetails.CARD);
      JsonObject load = entry.getJsonObject(AgentDetails.LOAD, new JsonObject());
      Set<String> skills = card == null ? Set.of() : AgentCard.fromJson(card).skills().stream()
          .map(AgentCard.Skill::id).collect(Collectors.toUnmodifiableSet());
      return new Agent(entry.getString(Fields.AGENT_ID), entry.getBoolean(Fields.IS_ONLINE, false), skills,
          AgentGrade.STALE.wireName().equals(entry.getString(AgentDetails.GRADE)),
          card == null ? null : card.getInteger("max_concurrency"),
          load.getInteger(LoadFigures.QUEUE_DEPTH, 0), load.getInteger(LoadFigures.UNANSWERED, 0),
          load.getLong(LoadFigures.LATENCY_MS));
    }
  }

  private final Map<String, Agent> agents = new HashMap<>();

  void apply(JsonObject update) {
    JsonArray entries = update.getJsonArray("agents", new JsonArray());
    if (update.getBoolean("is_full_update", true)) {
      agents.clear();
    }
    for (int i = 0; i < entries.size(); i++) {
      Agent agent = Agent.of(entries.getJsonObject(i));
      agents.put(agent.id(), agent);
    }
  }

  boolean isOnline(String agentId) {
    Agent agent = agentId == null ? null : agents.get(agentId);
    return agent != null && agent.online();
  }

  Agent get(String agentId) {
    return agents.get(agentId);
  }

  /** The online agents, in id order, that have {@code skill} (any, when null). */
  List<Agent> online(String skill) {
    return agents.values().stream()
        .filter(agent -> agent.online() && (skill == null || agent.skills().contains(skill)))
        .sorted(Comparator.comparing(Agent::id))
        .toList();
  }
}
