package io.agenthub.cluster;

import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.Set;

/** The members of a Hazelcast cluster, from the cluster manager's public view of it. */
final class HazelcastMembership implements Membership {
  private final HazelcastClusterManager manager;

  HazelcastMembership(HazelcastClusterManager manager) {
    this.manager = manager;
  }

  @Override
  public String localNodeId() {
    return manager.getNodeId();
  }

  @Override
  public Set<String> nodeIds() {
    return Set.copyOf(manager.getNodes());
  }
}
