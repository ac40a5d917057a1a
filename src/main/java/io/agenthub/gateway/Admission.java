package io.agenthub.gateway;

import io.agenthub.clock.HubClock;
import io.agenthub.protocol.Frames;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Who may register, and when, so that the hub is protected without punishing a crowd. Registrations take their
 * turn in a bounded queue ({@link RegistrationQueue}); at its turn a registration is refused with RATE_LIMITED, and
 * told when to come back, only when its address has spent its allowance on what abuse looks like
 * ({@link RegistrationLimiter}): new agent identities, refused tokens, sockets dropped at once. Touched only on the
 * gateway's context.
 */
final class Admission {
  private static final long FORGET_IDLE_ADDRESSES_MS = 60_000;

  private final Supplier<GatewaySettings> settings;
  private final Refusals refusals;
  private final RegistrationQueue queue;
  private final RegistrationLimiter limiter;

  Admission(Vertx vertx, Supplier<GatewaySettings> settings, HubClock clock, Refusals refusals) {
    this.settings = settings;
    this.refusals = refusals;
    this.queue = new RegistrationQueue(clock, () -> settings.get().maxRegistrationsInFlight());
    this.limiter = new RegistrationLimiter(settings, clock);
    vertx.setPeriodic(FORGET_IDLE_ADDRESSES_MS, id -> limiter.forgetIdle());
  }

  /**
   * Queues a registration that passed its checks; its socket is paused meanwhile. At its turn it runs, unless its
   * socket closed or its address must wait: then the socket is refused with RATE_LIMITED (echoing the registration's
   * {@code messageId}, nullable) and may register again.
   */
  void submit(ClientSession session, boolean presentsPreviousId, String messageId,
      Supplier<Future<Void>> registration) {
    queue.submit(session, () -> {
      if (session.isClosed()) {
        return Future.succeededFuture();
      }
      long waitNanos = limiter.waitNanos(session.socket().remoteHost(), presentsPreviousId);
      if (waitNanos == 0) {
        return registration.get();
      }
      refuse(session, waitNanos, messageId);
      return Future.succeededFuture();
    });
  }

  private void refuse(ClientSession session, long waitNanos, String messageId) {
    session.abandonRegistration();
    session.socket().resume();
    refusals.rateLimited(session, "Too many registrations from " + session.socket().remoteHost()
        + " that add agents, fail their token or drop at once (at most " + settings.get().registrationRateLimit()
        + " per second); retry after " + Frames.retryAfterMillis(waitNanos) + " ms", waitNanos, messageId);
  }

  /** How long the oldest registration still waiting for its turn has waited. */
  Duration oldestWait() {
    return queue.oldestWait();
  }

  /** Presence gave an agent an id it did not ask for: a record and a queue that outlive its socket. */
  void newAgentIdentity(ClientSession session) {
    limiter.charge(session.socket().remoteHost());
  }

  void refusedToken(ClientSession session) {
    limiter.charge(session.socket().remoteHost());
  }

  /** A registered socket closed; it costs its address when it closed within REGISTRATION_CHURN_WINDOW. */
  void closed(ClientSession session, long registeredAtNanos) {
    limiter.closed(session.socket().remoteHost(), registeredAtNanos);
  }
}
