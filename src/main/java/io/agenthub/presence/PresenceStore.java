package io.agenthub.presence;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * Where presence keeps its state. Only the presence verticle calls it. Agents and brokers are typed records (kept as
 * {@link StoredPresence} writes them); away records are {@code {"role", "left_at", "until"}}, with
 * {@code "recent_keys"} when the socket was written frames from {@code broker_output_queue}.
 */
public interface PresenceStore {

  /** Claims an id for the whole deployment; false when another client already holds it. */
  Future<Boolean> reserveId(String clientId, String nodeId);

  /**
   * Moves a reserved id to another node, only if it is still owned by {@code expectedOwner}: two instances resuming
   * one agent at once cannot both win.
   */
  Future<Boolean> transferId(String clientId, String expectedOwner, String newOwner);

  /** The node holding an id, or null when the id is not reserved. */
  Future<String> ownerOf(String clientId);

  /** Gives an id back (frontends and brokers that left; agent ids stay reserved, their record is kept). */
  Future<Void> releaseId(String clientId);

  /** Gives an id back only if {@code owner} still holds it: an id another instance resumed meanwhile stays taken. */
  Future<Boolean> releaseIdHeldBy(String clientId, String owner);

  /**
   * Protocol extension "session resume": records a frontend or broker that went away, {@code {"role", "left_at",
   * "until", "recent_keys"}}; the record disappears by itself after {@code ttlMs}, even if no instance is left to
   * remove it.
   */
  Future<Void> putAway(String clientId, JsonObject record, long ttlMs);

  /** The away record of a client, or null when it is not away (connected, never known, or its window passed). */
  Future<JsonObject> away(String clientId);

  Future<Void> removeAway(String clientId);

  /** Each reserved id with the node that holds it, for cleaning up after nodes that died. */
  Future<Map<String, String>> idOwners();

  Future<Void> putAgent(AgentPresence agent);

  /** Removes the agent's record only while it is still {@code expected}; false when it changed meanwhile. */
  Future<Boolean> removeAgent(AgentPresence expected);

  /** The agent's record, or null when no agent has that id. */
  Future<AgentPresence> agent(String agentId);

  Future<List<AgentPresence>> agents();

  Future<Void> putBroker(BrokerPresence broker);

  Future<List<BrokerPresence>> brokers();
}
