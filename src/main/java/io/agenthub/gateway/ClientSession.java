package io.agenthub.gateway;

import io.agenthub.protocol.ClientRole;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket and what the gateway knows of it. Its {@link State} says where it stands; who its client is
 * ({@link RegisteredClient}) is set once, when it registers. It writes only through its {@link ClientSocket}, and
 * guards what it writes: it closes a client that stopped reading, writes a delivery key once, and holds a resumed
 * session's live deliveries back until its backlog is written. Touched only on the gateway's context.
 */
final class ClientSession {
  private static final Logger LOG = LoggerFactory.getLogger(ClientSession.class);
  private static final short CLOSE_TOO_SLOW = 1008;

  /**
   * NEW until a registration frame passes the checks; REGISTERING while presence gives it an id (its socket is
   * paused meanwhile, so no frame arrives); REGISTERED once it has one; CLOSED once its socket closed, for good.
   * A registration that fails takes it back to NEW.
   */
  enum State { NEW, REGISTERING, REGISTERED, CLOSED }

  /** What became of a frame addressed to this client alone. */
  enum Delivered { WRITTEN, ALREADY_WRITTEN }

  private final ClientSocket socket;
  private final String connectionId;
  private final FrameLimits limits;
  /** CLIENT_MAX_UNREAD_CHARS, read at each write, so a new limit applies at once. */
  private final LongSupplier maxUnsentChars;
  private final UnsentText unsent = new UnsentText();
  private final RecentKeys recentKeys = new RecentKeys();
  private final HeldDeliveries held = new HeldDeliveries();
  private State state = State.NEW;
  /** Null until the client registered; kept once its socket closed. */
  private RegisteredClient client;
  private boolean closedAsTooSlow;
  /** A frame was written since the last keepalive sweep, so the socket needs no ping to show it is alive. */
  private boolean wroteSinceSweep;
  private long statusSeq;
  private Runnable registrationTimeout = () -> { };
  private Runnable drained = () -> { };

  ClientSession(ClientSocket socket, String connectionId, TokenBucket floodLimit, LongSupplier maxUnsentChars) {
    this.limits = new FrameLimits(floodLimit);
    this.socket = socket;
    this.connectionId = connectionId;
    this.maxUnsentChars = maxUnsentChars;
  }

  ClientSocket socket() {
    return socket;
  }

  FrameLimits limits() {
    return limits;
  }

  State state() {
    return state;
  }

  boolean isRegistered() {
    return state == State.REGISTERED;
  }

  boolean isClosed() {
    return state == State.CLOSED;
  }

  /** True from the registration on, and still once the socket closed; false again if the registration failed. */
  boolean hasRegistered() {
    return client != null;
  }

  void startRegistration() {
    state = State.REGISTERING;
  }

  void registered(RegisteredClient client) {
    this.client = client;
    state = State.REGISTERED;
  }

  /** Back to NEW, so the socket may register again; a socket that closed meanwhile stays closed. */
  void abandonRegistration() {
    client = null;
    if (state != State.CLOSED) {
      state = State.NEW;
    }
  }

  /** Marks the session closed; true only the first time, so cleanup runs exactly once. */
  boolean markClosed() {
    boolean first = state != State.CLOSED;
    state = State.CLOSED;
    return first;
  }

  /** Who the client is; only for a session that registered ({@link #hasRegistered()}). */
  RegisteredClient client() {
    if (client == null) {
      throw new IllegalStateException(connectionId + " has not registered");
    }
    return client;
  }

  ClientRole role() {
    return client().role();
  }

  String clientId() {
    return client().clientId();
  }

  /** Protocol extension "delta presence": registered with {@code "status_updates":"delta"}. */
  boolean wantsDeltaStatus() {
    return client().options().deltaStatus();
  }

  /** Numbers this client's status updates 1, 2, 3... in the order they are written. */
  long nextStatusSeq() {
    return ++statusSeq;
  }

  /** {@code cancel} stops the timer that closes the socket if it never registers. */
  void registrationTimeout(Runnable cancel) {
    registrationTimeout = cancel;
  }

  /** Registered or closed: the timeout has nothing left to close, and a pending timer is memory per socket. */
  void cancelRegistrationTimeout() {
    registrationTimeout.run();
    registrationTimeout = () -> { };
  }

  /** The client id once registered, the connection id before. */
  String logId() {
    return client != null ? client.clientId() + "/" + connectionId : connectionId;
  }

  /**
   * Once per keepalive period: a socket that got no frame since the last call gets a WebSocket ping. Written, it shows
   * the transport alive; left unwritten behind unread text, it lets the write-stall timeout act ({@link Keepalive}).
   */
  void keepAlive() {
    if (!wroteSinceSweep && !socket.isClosed()) {
      socket.writePing();
    }
    wroteSinceSweep = false;
  }

  Future<Void> send(JsonObject frame) {
    return sendEncoded(frame.encode());
  }

  /**
   * Writes a frame unless the client has fallen too far behind ({@link UnsentText#fits}); then the socket is closed
   * with 1008 instead, and what was addressed to it is dead-lettered. Its close frame waits behind the unread text
   * too: if the client still reads nothing, the write-stall timeout cuts the connection ({@link Keepalive}).
   */
  Future<Void> sendEncoded(String text) {
    if (socket.isClosed() || closedAsTooSlow) {
      return Future.failedFuture("socket of " + logId() + " is closed");
    }
    if (!unsent.fits(text.length(), maxUnsentChars.getAsLong())) {
      closedAsTooSlow = true;
      LOG.warn("Closing {} as too slow: {} characters sent to it are still unread", logId(), unsent.chars());
      socket.close(CLOSE_TOO_SLOW, "Client too slow");
      return Future.failedFuture(logId() + " left " + unsent.chars() + " characters unread; closed as too slow");
    }
    wroteSinceSweep = true;
    unsent.written(text.length());
    return socket.writeText(text).onComplete(written -> {
      unsent.taken();
      if (unsent.chars() == 0) {
        drained.run();
      }
    });
  }

  /** Whether written text waits to be taken: a stream's chunks are merged meanwhile (see StreamViewer). */
  boolean hasTextWaiting() {
    return unsent.chars() > 0;
  }

  /** {@code listener} runs each time the socket has taken everything written to it (streams flush then). */
  void onDrained(Runnable listener) {
    drained = listener;
  }

  /**
   * A frame addressed to this client alone; completes once it is written, or at once when a frame with its delivery
   * key (nullable) already was (a key not written after all is forgotten). While live deliveries are held, a frame
   * that is not {@code fromBacklog} waits.
   */
  Future<Delivered> deliver(String text, String key, boolean fromBacklog) {
    if (held.active() && !fromBacklog) {
      return held.hold(text, key);
    }
    if (alreadyWrote(key)) {
      return Future.succeededFuture(Delivered.ALREADY_WRITTEN);
    }
    return sendEncoded(text).transform(written -> {
      if (written.failed()) {
        recentKeys.forget(key); // not written: its sender parks it for the resume, where the guard must let it pass
        return Future.failedFuture("delivery to " + logId() + " failed: " + written.cause().getMessage());
      }
      return Future.succeededFuture(Delivered.WRITTEN);
    });
  }

  /** True when a frame with this key was written to this session lately; else the key is remembered, false returned. */
  boolean alreadyWrote(String key) {
    return recentKeys.repeats(key);
  }

  /** The session's duplicate guard: its keys go with a disconnect, and a resumed session starts from them. */
  RecentKeys recentKeys() {
    return recentKeys;
  }

  /** Protocol extension "session resume": from now on live deliveries wait for {@link #releaseHeldDeliveries()}. */
  void holdLiveDeliveries() {
    held.start();
  }

  boolean holdsLiveDeliveries() {
    return held.active();
  }

  /** Writes the held deliveries in arrival order; from now on deliveries are written as they come. */
  void releaseHeldDeliveries() {
    for (HeldDeliveries.Held delivery : held.stop()) {
      deliver(delivery.text(), delivery.key(), false).onComplete(delivery.outcome());
    }
  }

  /** The session ends before its backlog was written: the held deliveries fail, and their senders keep them. */
  void dropHeldDeliveries(String why) {
    for (HeldDeliveries.Held delivery : held.stop()) {
      delivery.outcome().fail(logId() + ": " + why + " before its backlog was delivered");
    }
  }
}
