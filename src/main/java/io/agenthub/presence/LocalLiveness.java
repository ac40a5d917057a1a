package io.agenthub.presence;

import io.agenthub.bus.PongReceived;
import io.agenthub.protocol.ClientRole;
import io.agenthub.protocol.Fields;
import io.agenthub.protocol.Frames;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agents and brokers whose socket this instance holds: decisions about them are made here. Their records go to
 * the shared store, and each status change of an agent is replicated to every instance. An agent whose PONGs stop
 * goes offline at the next sweep after AGENT_INACTIVITY_TIMEOUT and comes back with its next PONG.
 */
final class LocalLiveness {
  private static final Logger LOG = LoggerFactory.getLogger(LocalLiveness.class);

  private final String nodeId;
  private final PresenceStore store;
  private final WriteChain writes;
  private final AgentDirectory directory;
  private final Replication replication;
  private final Map<String, JsonObject> ownAgents = new HashMap<>();
  /** The monotonic time of each own agent's last sign of life. */
  private final Map<String, Long> lastSignOfLife = new HashMap<>();
  private final Map<String, JsonObject> ownBrokers = new HashMap<>();

  LocalLiveness(String nodeId, PresenceStore store, WriteChain writes, AgentDirectory directory,
      Replication replication) {
    this.nodeId = nodeId;
    this.store = store;
    this.writes = writes;
    this.directory = directory;
    this.replication = replication;
  }

  /** Records an agent or broker online under the id it was granted; frontends have no record. */
  Future<Void> registered(ClientRole role, IdReservations.Claim claim, String name) {
    if (role == ClientRole.FRONTEND) {
      return Future.succeededFuture();
    }
    String id = claim.clientId();
    JsonObject record = new JsonObject()
        .put(role.idField(), id)
        .put(role.nameField(), name)
        .put(Fields.IS_ONLINE, true)
        .put(Fields.LAST_SEEN, Frames.isoNow())
        .put(AgentRecords.NODE_ID, nodeId);
    if (role == ClientRole.BROKER) {
      ownBrokers.put(id, record);
      return writes.then(() -> store.putBroker(record.copy()));
    }
    record.put(AgentRecords.CONNECTED, true).put(AgentDirectory.REVISION, claim.previousRevision() + 1);
    ownAgents.put(id, record);
    lastSignOfLife.put(id, System.nanoTime());
    LOG.info("Agent {} \"{}\" online", id, name);
    return storeAndAnnounce(List.of(record.copy()));
  }

  /** The agent's socket closed. */
  Future<Void> agentGone(String agentId) {
    JsonObject agent = ownAgents.remove(agentId);
    lastSignOfLife.remove(agentId);
    if (agent == null) {
      return Future.succeededFuture();
    }
    AgentRecords.statusChanged(agent).put(Fields.IS_ONLINE, false).put(AgentRecords.CONNECTED, false);
    LOG.info("Agent {} offline: socket closed", agentId);
    return storeAndAnnounce(List.of(agent.copy()));
  }

  /** The broker's socket closed. */
  Future<Void> brokerGone(String brokerId) {
    JsonObject broker = ownBrokers.remove(brokerId);
    if (broker == null) {
      return Future.succeededFuture();
    }
    broker.put(Fields.IS_ONLINE, false).put(Fields.LAST_SEEN, Frames.isoNow());
    return writes.then(() -> store.putBroker(broker));
  }

  /** A PONG refreshes last_seen and brings an agent the inactivity sweep had marked offline back online. */
  void pong(PongReceived pong) {
    if (pong.role() == ClientRole.BROKER) {
      brokerPong(pong.clientId());
      return;
    }
    JsonObject agent = ownAgents.get(pong.clientId());
    if (agent == null) {
      return;
    }
    lastSignOfLife.put(pong.clientId(), System.nanoTime());
    if (agent.getBoolean(Fields.IS_ONLINE)) {
      JsonObject snapshot = agent.put(Fields.LAST_SEEN, Frames.isoNow()).copy();
      writes.then(() -> store.putAgent(snapshot));
      directory.refresh(snapshot);
      return;
    }
    AgentRecords.statusChanged(agent).put(Fields.IS_ONLINE, true);
    LOG.info("Agent {} back online after PONG", pong.clientId());
    storeAndAnnounce(List.of(agent.copy()));
  }

  private void brokerPong(String brokerId) {
    JsonObject broker = ownBrokers.get(brokerId);
    if (broker != null) {
      broker.put(Fields.IS_ONLINE, true).put(Fields.LAST_SEEN, Frames.isoNow());
      JsonObject snapshot = broker.copy();
      writes.then(() -> store.putBroker(snapshot));
    }
  }

  /** Own agents online whose last sign of life is older than {@code timeout} go offline, in one replication. */
  void sweep(Duration timeout) {
    long now = System.nanoTime();
    List<JsonObject> silenced = new ArrayList<>();
    for (Map.Entry<String, JsonObject> entry : ownAgents.entrySet()) {
      JsonObject agent = entry.getValue();
      if (agent.getBoolean(Fields.IS_ONLINE) && now - lastSignOfLife.get(entry.getKey()) > timeout.toNanos()) {
        AgentRecords.statusChanged(agent).put(Fields.IS_ONLINE, false);
        LOG.info("Agent {} offline: no PONG for {} s", entry.getKey(), timeout.toSeconds());
        silenced.add(agent.copy());
      }
    }
    if (!silenced.isEmpty()) {
      storeAndAnnounce(silenced);
    }
  }

  /**
   * This instance is shutting down: its agents go offline in one replication rather than one per closing socket,
   * which would send every frontend of the cluster a full list per agent.
   */
  Future<Void> leaving() {
    List<JsonObject> leaving = new ArrayList<>();
    for (JsonObject agent : ownAgents.values()) {
      AgentRecords.statusChanged(agent).put(Fields.IS_ONLINE, false).put(AgentRecords.CONNECTED, false);
      leaving.add(agent.copy());
    }
    ownAgents.clear();
    lastSignOfLife.clear();
    LOG.info("Instance {} shutting down: {} of its agents marked offline", nodeId, leaving.size());
    return leaving.isEmpty() ? writes.settled() : storeAndAnnounce(leaving);
  }

  /** The record of an agent whose socket this instance holds, as it is now; null for any other agent. */
  JsonObject ownAgent(String agentId) {
    JsonObject own = ownAgents.get(agentId);
    return own == null ? null : own.copy();
  }

  /** The records are stored one by one and replicated together once all are stored. */
  private Future<Void> storeAndAnnounce(List<JsonObject> snapshots) {
    snapshots.forEach(snapshot -> writes.then(() -> store.putAgent(snapshot)));
    return writes.settled().onSuccess(v -> replication.announce(snapshots));
  }
}
