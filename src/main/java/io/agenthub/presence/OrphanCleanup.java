package io.agenthub.presence;

import io.agenthub.clock.HubClock;
import io.agenthub.cluster.Membership;
import io.agenthub.protocol.ClientRole;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After another instance left the cluster (this one being the oldest survivor): its agents lost their sockets with
 * it, so they are marked offline; its brokers too; its frontends' and brokers' ids are taken over as away. Records
 * of every instance that is no longer a member are cleaned, not only the departed one's, so a departure whose
 * cleanup was missed (the member due to do it was stopping itself) is made up for at the next one.
 */
final class OrphanCleanup {
  private static final Logger LOG = LoggerFactory.getLogger(OrphanCleanup.class);

  private final PresenceStore store;
  private final Membership membership;
  private final WriteChain writes;
  private final AwaySessions awaySessions;
  private final Replication replication;
  private final HubClock clock;

  OrphanCleanup(PresenceStore store, Membership membership, WriteChain writes, AwaySessions awaySessions,
      Replication replication, HubClock clock) {
    this.store = store;
    this.membership = membership;
    this.writes = writes;
    this.awaySessions = awaySessions;
    this.replication = replication;
    this.clock = clock;
  }

  /**
   * The members are read after the records: an instance that joined meanwhile cannot have its fresh records taken
   * for orphans.
   */
  void nodeLeft(String departedNodeId) {
    store.agents()
        .compose(agents -> markAgentsOfflineIfGone(agents, membership.nodeIds()))
        .compose(orphans -> store.brokers()
            .compose(brokers -> markBrokersOfflineIfGone(brokers, membership.nodeIds()))
            .compose(v -> store.idOwners())
            .compose(owners -> adoptIdsOfGoneNodes(owners, membership.nodeIds()))
            .map(orphans))
        .onSuccess(orphans -> {
          LOG.info("Instance {} left the cluster: {} agents of departed instances marked offline", departedNodeId,
              orphans.size());
          if (!orphans.isEmpty()) {
            replication.announce(orphans);
          }
        })
        .onFailure(e -> LOG.error("Cleanup after instance {} failed: {}", departedNodeId, e.getMessage()));
  }

  private Future<List<AgentPresence>> markAgentsOfflineIfGone(List<AgentPresence> agents, Set<String> liveNodes) {
    Instant at = clock.now();
    List<AgentPresence> orphans = agents.stream()
        .filter(agent -> !liveNodes.contains(agent.nodeId()))
        .filter(AgentPresence::onlineOrConnected)
        .map(agent -> agent.disconnected(at))
        .toList();
    orphans.forEach(orphan -> writes.then(() -> store.putAgent(orphan)));
    return writes.settled().map(orphans);
  }

  private Future<Void> markBrokersOfflineIfGone(List<BrokerPresence> brokers, Set<String> liveNodes) {
    Instant at = clock.now();
    brokers.stream()
        .filter(broker -> !liveNodes.contains(broker.nodeId()))
        .filter(BrokerPresence::online)
        .map(broker -> broker.wentOffline(at))
        .forEach(offline -> writes.then(() -> store.putBroker(offline)));
    return writes.settled();
  }

  /**
   * Agent ids stay reserved, so an agent can resume its own. Frontend and broker ids are taken over by this instance
   * and kept away for their resume window (what remains of it, for those that were away already), then released.
   */
  private Future<Void> adoptIdsOfGoneNodes(Map<String, String> owners, Set<String> liveNodes) {
    return Future.join(owners.entrySet().stream()
            .filter(owner -> !liveNodes.contains(owner.getValue()))
            .filter(owner -> !owner.getKey().startsWith(ClientRole.AGENT.idPrefix()))
            .map(owner -> awaySessions.adopt(owner.getKey(), owner.getValue()))
            .toList())
        .mapEmpty();
  }
}
