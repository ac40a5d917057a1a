package io.agenthub.cluster;

import java.util.Set;

/**
 * The instances of this deployment, by Vert.x node id, as this instance sees them now (a local view; nothing is
 * asked over the network). A non-clustered hub is a membership of one.
 */
public interface Membership {

  String localNodeId();

  /** Every current member, this one included. */
  Set<String> nodeIds();

  /** The membership of a hub that is not clustered. */
  static Membership single(String nodeId) {
    Set<String> only = Set.of(nodeId);
    return new Membership() {
      @Override
      public String localNodeId() {
        return nodeId;
      }

      @Override
      public Set<String> nodeIds() {
        return only;
      }
    };
  }
}
