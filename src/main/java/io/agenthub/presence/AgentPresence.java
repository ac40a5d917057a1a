package io.agenthub.presence;

import io.agenthub.protocol.AgentCard;
import io.agenthub.protocol.AgentStatusEntry;
import io.agenthub.protocol.Timestamps;
import java.time.Instant;

/**
 * An agent's presence, as decided by the instance holding (or last holding) its socket. Immutable: each change is a
 * new record, made by one of the methods below, and every change of status raises {@code revision}, so that every
 * instance's {@link AgentDirectory} can tell the newer of two records (a PONG only moves {@code lastSeen}). Stored
 * and replicated by {@link StoredPresence}; clients see only its {@link #statusEntry()}, so a field added here
 * reaches no client until a client-facing entry carries it.
 *
 * @param nodeId the instance holding (or last holding) the agent's socket
 * @param connected whether the agent's socket is open, online or not: an open socket's id is never given to another
 * @param lastSeen to the microsecond, the precision of the timestamps clients see
 * @param streams whether it registered with {@code "streams": true} (protocol extension "streamed replies")
 * @param card what it says it can do (protocol extension "agent cards"), or null
 */
public record AgentPresence(String agentId, String name, boolean online, Instant lastSeen, String nodeId,
    boolean connected, long revision, boolean streams, AgentCard card) {

  public AgentPresence {
    lastSeen = Timestamps.truncate(lastSeen);
  }

  /** An agent without a card. */
  public AgentPresence(String agentId, String name, boolean online, Instant lastSeen, String nodeId,
      boolean connected, long revision, boolean streams) {
    this(agentId, name, online, lastSeen, nodeId, connected, revision, streams, null);
  }

  /** Online on this instance, at a revision above {@code previousRevision} (that of the id's last holder, or 0). */
  static AgentPresence registered(String agentId, String name, String nodeId, long previousRevision, Instant at,
      boolean streams, AgentCard card) {
    return new AgentPresence(agentId, name, true, at, nodeId, true, previousRevision + 1, streams, card);
  }

  /** A sign of life that changes no status: only {@code lastSeen} moves, the revision stays. */
  AgentPresence seen(Instant at) {
    return new AgentPresence(agentId, name, online, at, nodeId, connected, revision, streams, card);
  }

  /**
   * A new card: a change every instance must take, so the revision rises, though clients of the contract see
   * nothing of it ({@link #statusEntry()} stays the same).
   */
  AgentPresence withCard(AgentCard newCard) {
    return new AgentPresence(agentId, name, online, lastSeen, nodeId, connected, revision + 1, streams, newCard);
  }

  /** Offline while its socket stays open: it missed its PONGs. */
  AgentPresence wentOffline(Instant at) {
    return changed(false, connected, at);
  }

  /** Offline with its socket closed (or lost with its instance). */
  AgentPresence disconnected(Instant at) {
    return changed(false, false, at);
  }

  /** Online again after a PONG, on the socket it never lost. */
  AgentPresence cameBack(Instant at) {
    return changed(true, connected, at);
  }

  /** An agent whose id nobody else may take: online, or its socket still open after missing its PONGs. */
  boolean onlineOrConnected() {
    return online || connected;
  }

  /** The agent as every client sees it in a status update. */
  AgentStatusEntry statusEntry() {
    return new AgentStatusEntry(agentId, name, online, lastSeen);
  }

  private AgentPresence changed(boolean nowOnline, boolean nowConnected, Instant at) {
    return new AgentPresence(agentId, name, nowOnline, at, nodeId, nowConnected, revision + 1, streams, card);
  }
}
