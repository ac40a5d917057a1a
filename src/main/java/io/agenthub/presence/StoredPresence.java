package io.agenthub.presence;

import io.agenthub.protocol.AgentCard;
import io.agenthub.protocol.ClientRole;
import io.agenthub.protocol.Fields;
import io.agenthub.protocol.Timestamps;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Collection;
import java.util.List;

/**
 * The JSON of presence records in the shared store and in replications between instances. Its keys, their order and
 * the format of {@code last_seen} are those every earlier version wrote, so instances of two versions share one store
 * and one replication address during a rolling restart. Keys a record carries that this version does not know are
 * ignored, and keys it lacks take their defaults (offline, not connected, revision 0).
 */
final class StoredPresence {
  /** The instance holding (or last holding) the client's socket. */
  static final String NODE_ID = "node_id";
  /** Whether the agent's socket is open, online or not. */
  static final String CONNECTED = "connected";
  /** Raised on every status change of an agent. */
  static final String REVISION = "revision";
  /** Protocol extension "streamed replies": present (true) only for an agent that streams, so older readers skip it. */
  static final String STREAMS = "streams";
  /** Protocol extension "agent cards": present only for an agent that has a card, after every other key. */
  static final String CARD = "card";

  /** An agent removed from the store by retention, with its last revision: {@code {"agent_id", "revision"}}. */
  record Forgotten(String agentId, long revision) {
  }

  private StoredPresence() {
  }

  /**
   * An agent that streams has {@code "streams": true} after the other keys, one with a card its {@code "card"} last;
   * every other is as it always was.
   */
  static JsonObject encode(AgentPresence agent) {
    JsonObject json = new JsonObject()
        .put(Fields.AGENT_ID, agent.agentId())
        .put(Fields.AGENT_NAME, agent.name())
        .put(Fields.IS_ONLINE, agent.online())
        .put(Fields.LAST_SEEN, Timestamps.format(agent.lastSeen()))
        .put(NODE_ID, agent.nodeId())
        .put(CONNECTED, agent.connected())
        .put(REVISION, agent.revision());
    if (agent.streams()) {
      json.put(STREAMS, true);
    }
    return agent.card() == null ? json : json.put(CARD, agent.card().toJson());
  }

  static AgentPresence decodeAgent(JsonObject json) {
    return new AgentPresence(json.getString(Fields.AGENT_ID), json.getString(Fields.AGENT_NAME),
        json.getBoolean(Fields.IS_ONLINE, false), Timestamps.parse(json.getString(Fields.LAST_SEEN)),
        json.getString(NODE_ID), json.getBoolean(CONNECTED, false), json.getLong(REVISION, 0L),
        json.getBoolean(STREAMS, false), card(json.getJsonObject(CARD)));
  }

  private static AgentCard card(JsonObject json) {
    return json == null ? null : AgentCard.fromJson(json);
  }

  static JsonObject encode(BrokerPresence broker) {
    return new JsonObject()
        .put(ClientRole.BROKER.idField(), broker.brokerId())
        .put(ClientRole.BROKER.nameField(), broker.name())
        .put(Fields.IS_ONLINE, broker.online())
        .put(Fields.LAST_SEEN, Timestamps.format(broker.lastSeen()))
        .put(NODE_ID, broker.nodeId());
  }

  static BrokerPresence decodeBroker(JsonObject json) {
    return new BrokerPresence(json.getString(ClientRole.BROKER.idField()),
        json.getString(ClientRole.BROKER.nameField()), json.getBoolean(Fields.IS_ONLINE, false),
        Timestamps.parse(json.getString(Fields.LAST_SEEN)), json.getString(NODE_ID));
  }

  static JsonArray encodeAgents(Collection<AgentPresence> agents) {
    JsonArray list = new JsonArray();
    agents.forEach(agent -> list.add(encode(agent)));
    return list;
  }

  static List<AgentPresence> decodeAgents(JsonArray list) {
    return list.stream().map(JsonObject.class::cast).map(StoredPresence::decodeAgent).toList();
  }

  static JsonArray encodeForgotten(Collection<Forgotten> forgotten) {
    JsonArray list = new JsonArray();
    forgotten.forEach(agent -> list.add(new JsonObject().put(Fields.AGENT_ID, agent.agentId())
        .put(REVISION, agent.revision())));
    return list;
  }

  static List<Forgotten> decodeForgotten(JsonArray list) {
    return list.stream().map(JsonObject.class::cast)
        .map(json -> new Forgotten(json.getString(Fields.AGENT_ID), json.getLong(REVISION, 0L)))
        .toList();
  }
}
