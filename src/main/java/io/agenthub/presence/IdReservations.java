package io.agenthub.presence;

import io.agenthub.bus.RegisterRequest;
import io.agenthub.protocol.ClientIds;
import io.agenthub.protocol.ClientRole;
import io.vertx.core.Future;
import java.util.List;

/**
 * Client ids unique across the deployment: a fresh one reserved in the shared store for each registration, or the
 * client's previous one given back when it may resume it. Two sockets never share an id.
 */
final class IdReservations {
  private static final int ID_ATTEMPTS = 8;

  /**
   * An id this instance now holds, the last revision of the agent record that had it before (0 when new), and
   * whether it is a frontend's or broker's away session taken back (its missed messages are then delivered first),
   * with the delivery keys its previous socket was written.
   */
  record Claim(String clientId, long previousRevision, boolean resumedSession, List<String> recentKeys) {
    Claim(String clientId, long previousRevision) {
      this(clientId, previousRevision, false, List.of());
    }
  }

  private final String nodeId;
  private final PresenceStore store;
  private final AgentDirectory directory;
  private final AwaySessions awaySessions;

  IdReservations(String nodeId, PresenceStore store, AgentDirectory directory, AwaySessions awaySessions) {
    this.nodeId = nodeId;
    this.store = store;
    this.directory = directory;
    this.awaySessions = awaySessions;
  }

  /** Fails with {@link IdInUse} when the id to resume is held by a client still there. */
  Future<Claim> claim(RegisterRequest request) {
    ClientRole role = request.role();
    String resumed = request.resumeId();
    if (resumed == null) {
      return reserveFresh(role);
    }
    return role == ClientRole.AGENT ? resumeAgentOrReserve(resumed) : resumeSessionOrReserve(role, resumed);
  }

  /** A fresh id may be one of a forgotten agent: its revisions go on from there, so no directory ignores it. */
  private Future<Claim> reserveFresh(ClientRole role) {
    return reserveFreshId(role, ID_ATTEMPTS).map(id -> new Claim(id, directory.revisionOf(id)));
  }

  /**
   * Protocol extension "resuming an identity": an agent that reconnects may take back its previous id while that
   * id is offline. An id nobody knows gets a fresh one instead; an id online elsewhere is refused, and so is one
   * whose old socket is still open after missing its PONGs.
   */
  private Future<Claim> resumeAgentOrReserve(String agentId) {
    return store.agent(agentId).compose(record -> {
      if (record == null) {
        return reserveFresh(ClientRole.AGENT);
      }
      if (record.onlineOrConnected()) {
        return Future.failedFuture(new IdInUse(ClientRole.AGENT, agentId));
      }
      long previousRevision = Math.max(record.revision(), directory.revisionOf(agentId));
      return store.ownerOf(agentId)
          .compose(owner -> owner == null ? store.reserveId(agentId, nodeId) : store.transferId(agentId, owner, nodeId))
          .compose(won -> won
              ? Future.succeededFuture(new Claim(agentId, previousRevision))
              : Future.failedFuture(new IdInUse(ClientRole.AGENT, agentId)));
    });
  }

  /**
   * Protocol extension "session resume": a frontend or broker takes back its id while it is away; an id that cannot
   * be resumed gets a fresh one, as a registration without it would.
   */
  private Future<Claim> resumeSessionOrReserve(ClientRole role, String clientId) {
    return awaySessions.resume(role, clientId).compose(recentKeys -> recentKeys != null
        ? Future.succeededFuture(new Claim(clientId, 0, true, recentKeys))
        : reserveFresh(role));
  }

  private Future<String> reserveFreshId(ClientRole role, int attemptsLeft) {
    String candidate = ClientIds.newId(role);
    return store.reserveId(candidate, nodeId).compose(free -> {
      if (free) {
        return Future.succeededFuture(candidate);
      }
      if (attemptsLeft <= 1) {
        return Future.failedFuture("no free " + role.connectionType() + " id after " + ID_ATTEMPTS + " attempts");
      }
      return reserveFreshId(role, attemptsLeft - 1);
    });
  }
}
