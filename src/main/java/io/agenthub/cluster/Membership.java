package io.agenthub.cluster;

import java.util.Set;
import java.util.function.Consumer;

/**
 * Who is in the deployment, as this instance sees it now: its own node id and those of every member. Verticles get it
 * from {@code Hub} as a constructor argument, so none of them asks the cluster manager (or Vert.x internals) itself.
 */
public interface Membership {

  /** The node id of this instance: the Vert.x node id when clustered, the one the hub was given otherwise. */
  String localNodeId();

  /** The node ids of the members, this one included (a local view; nothing is asked over the network). */
  Set<String> nodeIds();

  /**
   * Calls {@code listener}, on a thread of the cluster manager, with the node id of each member that leaves, on the
   * member due to clean up after it only (the oldest survivor), so each departure is handled once.
   */
  void onMemberLeft(Consumer<String> listener);

  /** The membership of a hub on a non-clustered Vert.x: itself alone, and no member ever leaves. */
  static Membership single(String nodeId) {
    return new SingleNode(nodeId);
  }
}
