package io.agenthub.presence;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import java.util.List;
import java.util.Map;

/**
 * Presence state in Vert.x shared-data async maps: in-process for a single hub, Hazelcast-backed and shared by every
 * instance when Vert.x runs clustered. Values are JSON objects, so any member can read them, whatever its version:
 * agents and brokers as {@link StoredPresence} writes them.
 */
public final class SharedDataPresenceStore implements PresenceStore {
  /** Frontends and brokers that went away and may still resume, with a time-to-live of their resume window. */
  public static final String AWAY_MAP = "agenthub.away";
  /** Every agent ever registered and not forgotten, by id. */
  public static final String AGENTS_MAP = "agenthub.agents";
  /** Every broker ever registered, by id. */
  public static final String BROKERS_MAP = "agenthub.brokers";
  private final AsyncMap<String, String> ids;
  private final AsyncMap<String, JsonObject> agents;
  private final AsyncMap<String, JsonObject> brokers;
  private final AsyncMap<String, JsonObject> away;

  private SharedDataPresenceStore(AsyncMap<String, String> ids, AsyncMap<String, JsonObject> agents,
      AsyncMap<String, JsonObject> brokers, AsyncMap<String, JsonObject> away) {
    this.ids = ids;
    this.agents = agents;
    this.brokers = brokers;
    this.away = away;
  }

  public static Future<PresenceStore> open(Vertx vertx) {
    Future<AsyncMap<String, String>> ids = vertx.sharedData().getAsyncMap("agenthub.client-ids");
    Future<AsyncMap<String, JsonObject>> agents = vertx.sharedData().getAsyncMap(AGENTS_MAP);
    Future<AsyncMap<String, JsonObject>> brokers = vertx.sharedData().getAsyncMap(BROKERS_MAP);
    Future<AsyncMap<String, JsonObject>> away = vertx.sharedData().getAsyncMap(AWAY_MAP);
    return Future.all(ids, agents, brokers, away)
        .map(done -> new SharedDataPresenceStore(ids.result(), agents.result(), brokers.result(), away.result()));
  }

  @Override
  public Future<Boolean> reserveId(String clientId, String nodeId) {
    return ids.putIfAbsent(clientId, nodeId).map(previous -> previous == null);
  }

  @Override
  public Future<Boolean> transferId(String clientId, String expectedOwner, String newOwner) {
    return ids.replaceIfPresent(clientId, expectedOwner, newOwner);
  }

  @Override
  public Future<String> ownerOf(String clientId) {
    return ids.get(clientId);
  }

  @Override
  public Future<Void> releaseId(String clientId) {
    return ids.remove(clientId).mapEmpty();
  }

  @Override
  public Future<Boolean> releaseIdHeldBy(String clientId, String owner) {
    return ids.removeIfPresent(clientId, owner);
  }

  @Override
  public Future<Void> putAway(String clientId, JsonObject record, long ttlMs) {
    return away.put(clientId, record, ttlMs);
  }

  @Override
  public Future<JsonObject> away(String clientId) {
    return away.get(clientId);
  }

  @Override
  public Future<Void> removeAway(String clientId) {
    return away.remove(clientId).mapEmpty();
  }

  @Override
  public Future<Map<String, String>> idOwners() {
    return ids.entries();
  }

  @Override
  public Future<Void> putAgent(AgentPresence agent) {
    return agents.put(agent.agentId(), StoredPresence.encode(agent));
  }

  /**
   * The stored JSON is removed only while it is still the one read here: Hazelcast compares it byte for byte, and a
   * record another version wrote may carry keys this one does not know, so it is not written anew for the comparison.
   */
  @Override
  public Future<Boolean> removeAgent(AgentPresence expected) {
    return agents.get(expected.agentId()).compose(stored -> stored != null
        && StoredPresence.decodeAgent(stored).equals(expected)
        ? agents.removeIfPresent(expected.agentId(), stored)
        : Future.succeededFuture(false));
  }

  @Override
  public Future<AgentPresence> agent(String agentId) {
    return agents.get(agentId).map(json -> json == null ? null : StoredPresence.decodeAgent(json));
  }

  @Override
  public Future<List<AgentPresence>> agents() {
    return agents.values().map(all -> all.stream().map(StoredPresence::decodeAgent).toList());
  }

  @Override
  public Future<Void> putBroker(BrokerPresence broker) {
    return brokers.put(broker.brokerId(), StoredPresence.encode(broker));
  }

  @Override
  public Future<List<BrokerPresence>> brokers() {
    return brokers.values().map(all -> all.stream().map(StoredPresence::decodeBroker).toList());
  }
}
