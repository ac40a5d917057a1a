package io.agenthub.gateway;

import io.agenthub.protocol.ClientRole;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One WebSocket and what the gateway knows of it. Touched only on the gateway's context. */
final class ClientSession {
  private static final Logger LOG = LoggerFactory.getLogger(ClientSession.class);

  enum State { NEW, REGISTERING, REGISTERED, CLOSED }

  private static final short CLOSE_TOO_SLOW = 1008;
  /**
   * Delivery keys remembered per socket. A repeat comes from a redelivery, which RabbitMQ makes within moments of
   * the first delivery's instance dying or losing its connection, so a few prefetches' worth of frames is plenty.
   */
  private static final int RECENT_KEYS = 32;

  private final Vertx vertx;
  private final ServerWebSocket socket;
  private final String connectionId;
  private final TokenBucket floodLimit;
  /**
   * Text waiting behind the frame in transmission to a client that stopped reading: past this, broadcasts would
   * pile up in the hub's memory, so the socket is closed (1008) and what was addressed to it is dead-lettered
   * instead. Read at each write, so a new limit applies at once.
   */
  private final LongSupplier maxUnsentChars;
  private State state = State.NEW;
  private ClientRole role;
  private String clientId;
  private String name;
  private MessageConsumer<String> deliveries;
  private RegistrationOptions options = new RegistrationOptions(false, false);
  private long statusSeq;
  /** The timer that closes the socket if it never registers; -1 once it is cancelled or when none was set. */
  private long registrationTimeout = -1;
  /** Lengths of the frames written but not yet taken by the socket, oldest (the one in transmission) first. */
  private final ArrayDeque<Integer> unsentFrames = new ArrayDeque<>();
  private long unsentChars;
  private boolean closedAsTooSlow;
  /** A frame was written since the last keepalive sweep, so the socket needs no ping to show it is alive. */
  private boolean wroteSinceSweep;
  /** Live deliveries waiting while a resumed session's backlog is written, in arrival order; null when not holding. */
  private List<Message<String>> heldDeliveries;
  /** The delivery keys of the last frames written that had one, as a ring; null until the first, so idle is free. */
  private String[] recentKeys;
  private int nextKey;

  ClientSession(Vertx vertx, ServerWebSocket socket, String connectionId, TokenBucket floodLimit,
      LongSupplier maxUnsentChars) {
    this.vertx = vertx;
    this.socket = socket;
    this.connectionId = connectionId;
    this.floodLimit = floodLimit;
    this.maxUnsentChars = maxUnsentChars;
  }

  ServerWebSocket socket() {
    return socket;
  }

  TokenBucket floodLimit() {
    return floodLimit;
  }

  State state() {
    return state;
  }

  boolean isRegistered() {
    return state == State.REGISTERED;
  }

  void startRegistration(ClientRole role, String name, RegistrationOptions options) {
    this.state = State.REGISTERING;
    this.role = role;
    this.name = name;
    this.options = options;
  }

  RegistrationOptions options() {
    return options;
  }

  /** Protocol extension "delta presence": registered with {@code "status_updates":"delta"}. */
  boolean wantsDeltaStatus() {
    return options.deltaStatus();
  }

  /** Numbers this client's status updates 1, 2, 3... in the order they are written. */
  long nextStatusSeq() {
    return ++statusSeq;
  }

  void registrationTimeout(long timerId) {
    registrationTimeout = timerId;
  }

  /** Registered or closed: the timeout has nothing left to close, and a pending timer is memory per socket. */
  void cancelRegistrationTimeout() {
    if (registrationTimeout >= 0) {
      vertx.cancelTimer(registrationTimeout);
      registrationTimeout = -1;
    }
  }

  void completeRegistration(String clientId, MessageConsumer<String> deliveries) {
    this.clientId = clientId;
    this.deliveries = deliveries;
    this.state = State.REGISTERED;
  }

  /** Protocol extension "session resume": live deliveries wait until the backlog was written. */
  void holdLiveDeliveries() {
    heldDeliveries = new ArrayList<>();
  }

  boolean holdsLiveDeliveries() {
    return heldDeliveries != null;
  }

  void holdDelivery(Message<String> delivery) {
    heldDeliveries.add(delivery);
  }

  /** The held deliveries in arrival order; from now on deliveries are written as they come. */
  List<Message<String>> releaseHeldDeliveries() {
    List<Message<String>> held = heldDeliveries == null ? List.of() : heldDeliveries;
    heldDeliveries = null;
    return held;
  }

  /**
   * True when a frame with this delivery key was already written to this socket (one of the last
   * {@value #RECENT_KEYS}); otherwise the key is remembered and false returned, so the caller writes the frame.
   * A null key (a frame not from {@code broker_output_queue}) is never a repeat.
   */
  boolean alreadyWrote(String key) {
    if (key == null) {
      return false;
    }
    if (recentKeys == null) {
      recentKeys = new String[RECENT_KEYS];
    }
    for (String recent : recentKeys) {
      if (key.equals(recent)) {
        return true;
      }
    }
    recentKeys[nextKey] = key;
    nextKey = (nextKey + 1) % RECENT_KEYS;
    return false;
  }

  void abandonRegistration() {
    this.state = State.NEW;
    this.role = null;
    this.name = null;
  }

  /** Marks the session closed; true only the first time, so cleanup runs exactly once. */
  boolean markClosed() {
    if (state == State.CLOSED) {
      return false;
    }
    state = State.CLOSED;
    return true;
  }

  boolean isClosed() {
    return state == State.CLOSED;
  }

  ClientRole role() {
    return role;
  }

  String clientId() {
    return clientId;
  }

  String name() {
    return name;
  }

  MessageConsumer<String> deliveries() {
    return deliveries;
  }

  /** Identifies the socket in logs: the client id once registered, the connection id before. */
  String logId() {
    return clientId != null ? clientId + "/" + connectionId : connectionId;
  }

  /**
   * Called once per keepalive period: a socket that got no frame since the last call gets a WebSocket ping, which
   * every browser and client library answers on its own. Written, the ping shows the transport alive; left unwritten
   * behind text the client does not read, it lets the write-stall timeout close the connection (see
   * {@link Keepalive}).
   */
  void keepAlive() {
    if (!wroteSinceSweep && !socket.isClosed()) {
      socket.writePing(Buffer.buffer());
    }
    wroteSinceSweep = false;
  }

  Future<Void> send(JsonObject frame) {
    return sendEncoded(frame.encode());
  }

  /**
   * Writes a frame unless the client has fallen too far behind. What counts is the text waiting behind the frame
   * in transmission, not that frame itself: a client reading it is not behind, however large the hub's own frames
   * (a full status list) are. A frame to a socket with nothing waiting is always written, so no frame is ever too
   * large by itself; a client is closed only when the text waiting for it, this frame included, exceeds the limit.
   * Its close frame then waits behind that text too: if the client still reads nothing, the write-stall timeout
   * cuts the connection ({@link Keepalive}).
   */
  Future<Void> sendEncoded(String text) {
    if (socket.isClosed() || closedAsTooSlow) {
      return Future.failedFuture("socket of " + logId() + " is closed");
    }
    long waiting = unsentFrames.isEmpty() ? 0 : unsentChars - unsentFrames.peekFirst();
    if (waiting > 0 && waiting + text.length() > maxUnsentChars.getAsLong()) {
      closedAsTooSlow = true;
      LOG.warn("Closing {} as too slow: {} characters sent to it are still unread", logId(), unsentChars);
      socket.close(CLOSE_TOO_SLOW, "Client too slow");
      return Future.failedFuture(logId() + " left " + unsentChars + " characters unread; closed as too slow");
    }
    wroteSinceSweep = true;
    unsentChars += text.length();
    unsentFrames.addLast(text.length());
    return socket.writeTextMessage(text).onComplete(written -> unsentChars -= unsentFrames.removeFirst());
  }
}
