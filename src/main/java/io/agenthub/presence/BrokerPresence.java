package io.agenthub.presence;

import io.agenthub.protocol.Timestamps;
import java.time.Instant;

/**
 * A broker's presence, as decided by the instance holding (or last holding) its socket. Immutable, like
 * {@link AgentPresence}; brokers are not listed to clients and need no revision, since only the status snapshot
 * reads them, from the shared store.
 *
 * @param nodeId the instance holding (or last holding) the broker's socket
 */
public record BrokerPresence(String brokerId, String name, boolean online, Instant lastSeen, String nodeId) {

  public BrokerPresence {
    lastSeen = Timestamps.truncate(lastSeen);
  }

  static BrokerPresence registered(String brokerId, String name, String nodeId, Instant at) {
    return new BrokerPresence(brokerId, name, true, at, nodeId);
  }

  /** A PONG: online, seen now. */
  BrokerPresence seen(Instant at) {
    return new BrokerPresence(brokerId, name, true, at, nodeId);
  }

  BrokerPresence wentOffline(Instant at) {
    return new BrokerPresence(brokerId, name, false, at, nodeId);
  }
}
