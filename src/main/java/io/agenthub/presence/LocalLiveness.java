package io.agenthub.presence;

import io.agenthub.bus.PongReceived;
import io.agenthub.bus.RegisterRequest;
import io.agenthub.clock.HubClock;
import io.agenthub.protocol.AgentCard;
import io.agenthub.protocol.ClientRole;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
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
  private final HubClock clock;
  private final Map<String, AgentPresence> ownAgents = new HashMap<>();
  /** The monotonic time of each own agent's last sign of life. */
  private final Map<String, Long> lastSignOfLife = new HashMap<>();
  private final Map<String, BrokerPresence> ownBrokers = new HashMap<>();

  LocalLiveness(String nodeId, PresenceStore store, WriteChain writes, AgentDirectory directory,
      Replication replication, HubClock clock) {
    this.nodeId = nodeId;
    this.store = store;
    this.writes = writes;
    this.directory = directory;
    this.replication = replication;
    this.clock = clock;
  }

  /** Records an agent or broker online under the id it was granted; frontends have no record. */
  Future<Void> registered(RegisterRequest request, IdReservations.Claim claim) {
    String id = claim.clientId();
    String name = request.name();
    return switch (request.role()) {
      case FRONTEND -> Future.succeededFuture();
      case BROKER -> {
        BrokerPresence broker = BrokerPresence.registered(id, name, nodeId, clock.now());
        ownBrokers.put(id, broker);
        yield writes.then(() -> store.putBroker(broker));
      }
      case AGENT -> {
        AgentPresence agent = AgentPresence.registered(id, name, nodeId, claim.previousRevision(), clock.now(),
            request.streams(), request.card() == null ? null : AgentCard.fromJson(request.card()));
        ownAgents.put(id, agent);
        lastSignOfLife.put(id, clock.nanoTime());
        LOG.info("Agent {} \"{}\" online", id, name);
        yield storeAndAnnounce(List.of(agent));
      }
    };
  }

  /** Protocol extension "agent cards": the agent's new card, stored and replicated like a change of status. */
  Future<Void> cardUpdated(String agentId, AgentCard card) {
    AgentPresence agent = ownAgents.get(agentId);
    if (agent == null) {
      return Future.failedFuture("agent " + agentId + " has no socket on instance " + nodeId);
    }
    AgentPresence updated = agent.withCard(card);
    ownAgents.put(agentId, updated);
    LOG.info("Agent {} updated its card ({} skills)", agentId, card.skills().size());
    return storeAndAnnounce(List.of(updated));
  }

  /** The agents online whose socket this instance holds: it measures their queues (protocol extension "live load"). */
  List<String> ownOnlineAgents() {
    return ownAgents.values().stream().filter(AgentPresence::online).map(AgentPresence::agentId).toList();
  }

  /** The agent's socket closed. */
  Future<Void> agentGone(String agentId) {
    AgentPresence agent = ownAgents.remove(agentId);
    lastSignOfLife.remove(agentId);
    if (agent == null) {
      return Future.succeededFuture();
    }
    LOG.info("Agent {} offline: socket closed", agentId);
    return storeAndAnnounce(List.of(agent.disconnected(clock.now())));
  }

  /** The broker's socket closed. */
  Future<Void> brokerGone(String brokerId) {
    BrokerPresence broker = ownBrokers.remove(brokerId);
    if (broker == null) {
      return Future.succeededFuture();
    }
    BrokerPresence offline = broker.wentOffline(clock.now());
    return writes.then(() -> store.putBroker(offline));
  }

  /** A PONG refreshes last_seen and brings an agent the inactivity sweep had marked offline back online. */
  void pong(PongReceived pong) {
    if (pong.role() == ClientRole.BROKER) {
      brokerPong(pong.clientId());
      return;
    }
    AgentPresence agent = ownAgents.get(pong.clientId());
    if (agent == null) {
      return;
    }
    lastSignOfLife.put(pong.clientId(), clock.nanoTime());
    if (agent.online()) {
      AgentPresence seen = agent.seen(clock.now());
      ownAgents.put(pong.clientId(), seen);
      writes.then(() -> store.putAgent(seen));
      directory.refresh(seen);
      return;
    }
    AgentPresence back = agent.cameBack(clock.now());
    ownAgents.put(pong.clientId(), back);
    LOG.info("Agent {} back online after PONG", pong.clientId());
    storeAndAnnounce(List.of(back));
  }

  private void brokerPong(String brokerId) {
    BrokerPresence broker = ownBrokers.get(brokerId);
    if (broker != null) {
      BrokerPresence seen = broker.seen(clock.now());
      ownBrokers.put(brokerId, seen);
      writes.then(() -> store.putBroker(seen));
    }
  }

  /** Own agents online whose last sign of life is older than {@code timeout} go offline, in one replication. */
  void sweep(Duration timeout) {
    long now = clock.nanoTime();
    Instant at = clock.now();
    List<AgentPresence> silenced = new ArrayList<>();
    for (Map.Entry<String, AgentPresence> entry : ownAgents.entrySet()) {
      AgentPresence agent = entry.getValue();
      if (agent.online() && now - lastSignOfLife.get(entry.getKey()) > timeout.toNanos()) {
        entry.setValue(agent.wentOffline(at));
        LOG.info("Agent {} offline: no PONG for {} s", entry.getKey(), timeout.toSeconds());
        silenced.add(entry.getValue());
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
    Instant at = clock.now();
    List<AgentPresence> leaving = ownAgents.values().stream().map(agent -> agent.disconnected(at)).toList();
    ownAgents.clear();
    lastSignOfLife.clear();
    LOG.info("Instance {} shutting down: {} of its agents marked offline", nodeId, leaving.size());
    return leaving.isEmpty() ? writes.settled() : storeAndAnnounce(leaving);
  }

  /** The record of an agent whose socket this instance holds, as it is now; null for any other agent. */
  AgentPresence ownAgent(String agentId) {
    return ownAgents.get(agentId);
  }

  /** The records are stored one by one and replicated together once all are stored. */
  private Future<Void> storeAndAnnounce(List<AgentPresence> records) {
    records.forEach(record -> writes.then(() -> store.putAgent(record)));
    return writes.settled().onSuccess(v -> replication.announce(records));
  }
}
