package io.agenthub.cluster;

import java.util.Set;
import java.util.function.Consumer;

/** A non-clustered hub: the deployment is this instance. */
record SingleNode(String localNodeId) implements Membership {

  @Override
  public Set<String> nodeIds() {
    return Set.of(localNodeId);
  }

  @Override
  public void onMemberLeft(Consumer<String> listener) {
  }
}
