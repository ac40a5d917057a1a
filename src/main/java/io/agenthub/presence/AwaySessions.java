package io.agenthub.presence;

import io.agenthub.bus.ClientDisconnected;
import io.agenthub.clock.HubClock;
import io.agenthub.protocol.ClientRole;
import io.agenthub.protocol.Timestamps;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Protocol extension "session resume", presence's part: a frontend or broker that lost its socket keeps its id
 * reserved and is recorded away in the shared store for CLIENT_RESUME_WINDOW; within it, a registration carrying
 * the id takes it back; after it, the instance holding the id releases it. Touched only on presence's context.
 */
final class AwaySessions {
  private static final Logger LOG = LoggerFactory.getLogger(AwaySessions.class);
  private static final int RESUME_ATTEMPTS = 3;
  /** Away record key: epoch milliseconds when the resume window ends. */
  private static final String UNTIL = "until";
  /** Away record key: the delivery keys last written to the client's socket, oldest first. */
  private static final String RECENT_KEYS = "recent_keys";
  /**
   * An away record outlives its window a little, so a resume arriving as the window closes finds it until the
   * release timer has given the id back, rather than an id that looks connected.
   */
  private static final long RECORD_GRACE_MS = 10_000;

  private final Vertx vertx;
  private final String nodeId;
  private final PresenceStore store;
  private final Supplier<PresenceSettings> settings;
  /** Presence's chain of writes, so that a client's away record is stored after its earlier changes. */
  private final WriteChain writes;
  private final HubClock clock;
  /** Frontends and brokers whose socket this instance holds. */
  private final Set<String> ownSessions = new HashSet<>();
  /** Away frontends and brokers whose id this instance holds, with the timer releasing it when the window passes. */
  private final Map<String, Long> releaseTimers = new HashMap<>();

  AwaySessions(Vertx vertx, String nodeId, PresenceStore store, Supplier<PresenceSettings> settings,
      WriteChain writes, HubClock clock) {
    this.vertx = vertx;
    this.nodeId = nodeId;
    this.store = store;
    this.settings = settings;
    this.writes = writes;
    this.clock = clock;
  }

  void connected(String clientId) {
    ownSessions.add(clientId);
  }

  /**
   * Takes back an away id for this instance: the delivery keys last written to its socket (maybe none) when it did,
   * null when the id cannot be resumed (unknown, of another role, its window passed, resume turned off) and a fresh
   * one should be issued. Fails with {@link IdInUse} when the id is reserved without being away: connected, or held
   * by a dead instance not cleaned up yet.
   */
  Future<List<String>> resume(ClientRole role, String clientId) {
    if (!clientId.startsWith(role.idPrefix()) || settings.get().clientResumeWindow().isZero()) {
      return Future.succeededFuture(null);
    }
    return resume(role, clientId, RESUME_ATTEMPTS);
  }

  /**
   * The id changes hands only if its holder is still the one read: when it moved meanwhile (the instance cleaning up
   * after a dead one took it over), the state is read again; when another client resumed it first, it is no longer
   * away and the id is refused.
   */
  private Future<List<String>> resume(ClientRole role, String clientId, int attemptsLeft) {
    return store.away(clientId).compose(away -> store.ownerOf(clientId).compose(owner -> {
      if (away == null) {
        return owner == null ? Future.succeededFuture(null) : Future.failedFuture(new IdInUse(role, clientId));
      }
      Future<Boolean> won = owner == null
          ? store.reserveId(clientId, nodeId)
          : store.transferId(clientId, owner, nodeId);
      return won.compose(taken -> {
        if (taken) {
          return store.removeAway(clientId).map(v -> resumed(role, clientId, away));
        }
        return attemptsLeft > 1
            ? resume(role, clientId, attemptsLeft - 1)
            : Future.failedFuture(new IdInUse(role, clientId));
      });
    }));
  }

  private List<String> resumed(ClientRole role, String clientId, JsonObject away) {
    cancelRelease(clientId);
    // Frontends resume by the thousand after a proxy or network blip: a line each only at DEBUG.
    LOG.atLevel(role == ClientRole.FRONTEND ? Level.DEBUG : Level.INFO).log("{} {} resumed its session (away since {})",
        role.displayName(), clientId, away.getString("left_at"));
    return away.getJsonArray(RECENT_KEYS, new JsonArray()).stream().map(String.class::cast).toList();
  }

  /**
   * The client's socket closed: its id stays reserved, recorded away with the delivery keys last written to it, for
   * the window; released at once without one.
   */
  Future<Void> disconnected(ClientDisconnected gone) {
    ownSessions.remove(gone.clientId());
    return keepForResume(gone.clientId(), gone.role(), gone.recentKeys());
  }

  /**
   * An away record without keys (its instance died with them) guards nothing across the resume; one with them makes
   * the resumed session skip what the old socket was written.
   */
  private Future<Void> keepForResume(String clientId, ClientRole role, List<String> recentKeys) {
    long windowMs = settings.get().clientResumeWindow().toMillis();
    if (windowMs == 0) {
      return store.releaseId(clientId);
    }
    JsonObject record = new JsonObject().put("role", role.connectionType())
        .put("left_at", Timestamps.format(clock.now())).put(UNTIL, clock.epochMillis() + windowMs);
    if (!recentKeys.isEmpty()) {
      record.put(RECENT_KEYS, new JsonArray(recentKeys));
    }
    return writes.then(() -> store.putAway(clientId, record, windowMs + RECORD_GRACE_MS))
        .andThen(recorded -> releaseWhenWindowPasses(clientId, windowMs));
  }

  private void releaseWhenWindowPasses(String clientId, long delayMs) {
    cancelRelease(clientId);
    releaseTimers.put(clientId, vertx.setTimer(Math.max(1, delayMs), timer -> release(clientId)));
  }

  private void cancelRelease(String clientId) {
    Long timer = releaseTimers.remove(clientId);
    if (timer != null) {
      vertx.cancelTimer(timer);
    }
  }

  /** Released first, so a resume racing the window's end either takes the id back or gets a fresh one. */
  private void release(String clientId) {
    releaseTimers.remove(clientId);
    if (ownSessions.contains(clientId)) {
      return;
    }
    store.releaseIdHeldBy(clientId, nodeId)
        .compose(released -> released ? store.removeAway(clientId).map(true) : Future.succeededFuture(false))
        .onSuccess(released -> {
          if (released) {
            LOG.info("{} did not resume within CLIENT_RESUME_WINDOW; its id is released", clientId);
          }
        })
        .onFailure(e -> LOG.warn("Releasing the away id {} failed: {}", clientId, e.getMessage()));
  }

  /**
   * Until when messages for a frontend or broker that is not connected should wait for it; null when they should
   * not. An id still reserved without an away record counts as away: its socket closed a moment ago and the
   * disconnect is being recorded, or its instance died and has not been cleaned up yet.
   */
  Future<Long> awayUntil(String clientId) {
    long windowMs = settings.get().clientResumeWindow().toMillis();
    if (windowMs == 0 || ClientRole.ofId(clientId).orElse(ClientRole.AGENT) == ClientRole.AGENT) {
      return Future.succeededFuture(null);
    }
    return store.away(clientId).compose(away -> away != null
        ? Future.succeededFuture(away.getLong(UNTIL))
        : store.ownerOf(clientId).map(owner -> owner == null ? null : clock.epochMillis() + windowMs));
  }

  /**
   * The frontend or broker's instance left the cluster: this instance takes its id over and keeps it away for its
   * window (what remains of it, if it was away already).
   */
  Future<Void> adopt(String clientId, String goneOwner) {
    if (settings.get().clientResumeWindow().isZero()) {
      return store.releaseId(clientId);
    }
    return store.transferId(clientId, goneOwner, nodeId).compose(adopted -> !adopted ? Future.succeededFuture()
        : store.away(clientId).compose(away -> {
          if (away == null) {
            return keepForResume(clientId, ClientRole.ofId(clientId).orElseThrow(), List.of())
                .compose(v -> forgetIfResumedMeanwhile(clientId));
          }
          releaseWhenWindowPasses(clientId, away.getLong(UNTIL) - clock.epochMillis());
          return Future.succeededFuture();
        }));
  }

  /**
   * A client may resume between the take-over of its id and the away record written for it: the record of a client
   * that is connected again must not stay behind, or a second resume of the id would be granted.
   */
  private Future<Void> forgetIfResumedMeanwhile(String clientId) {
    return store.ownerOf(clientId).compose(owner -> {
      if (nodeId.equals(owner) && !ownSessions.contains(clientId)) {
        return Future.succeededFuture();
      }
      cancelRelease(clientId);
      return store.removeAway(clientId);
    });
  }
}
