package io.agenthub.cluster;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The membership of a clustered hub, read from the Hazelcast cluster manager's public API. */
final class HazelcastMembership implements Membership, MembershipListener {
  private static final Logger LOG = LoggerFactory.getLogger(HazelcastMembership.class);
  /**
   * Vert.x 5 gives each node an id of its own, not the Hazelcast member UUID, and publishes it as this member
   * attribute (HazelcastClusterManager's NODE_ID_ATTRIBUTE). Presence records carry the Vert.x node id, so a departed
   * member is identified by this attribute.
   */
  private static final String VERTX_NODE_ID_ATTRIBUTE = "__vertx.nodeId";

  private final HazelcastClusterManager manager;
  private final List<Consumer<String>> leftListeners = new CopyOnWriteArrayList<>();

  /** Starts watching the members; the manager must have joined. */
  HazelcastMembership(HazelcastClusterManager manager) {
    this.manager = manager;
    manager.getHazelcastInstance().getCluster().addMembershipListener(this);
  }

  @Override
  public String localNodeId() {
    return manager.getNodeId();
  }

  @Override
  public Set<String> nodeIds() {
    return new HashSet<>(manager.getNodes());
  }

  @Override
  public void onMemberLeft(Consumer<String> listener) {
    leftListeners.add(listener);
  }

  @Override
  public void memberAdded(MembershipEvent event) {
    LOG.info("Cluster member joined: {} (node {})", event.getMember().getUuid(),
        event.getMember().getAttribute(VERTX_NODE_ID_ATTRIBUTE));
  }

  /** Hazelcast lists members oldest first: only the oldest survivor cleans up after a departed one. */
  @Override
  public void memberRemoved(MembershipEvent event) {
    String departed = event.getMember().getAttribute(VERTX_NODE_ID_ATTRIBUTE);
    boolean oldest = event.getCluster().getMembers().iterator().next().localMember();
    LOG.info("Cluster member left: {} (node {}){}", event.getMember().getUuid(), departed,
        oldest ? "; this instance cleans up after it" : "");
    if (oldest && departed != null) {
      leftListeners.forEach(listener -> listener.accept(departed));
    }
  }
}
