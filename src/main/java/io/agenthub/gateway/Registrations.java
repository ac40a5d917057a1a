package io.agenthub.gateway;

import io.agenthub.bus.Addresses;
import io.agenthub.bus.AgentDeliveryChange;
import io.agenthub.bus.ClientDisconnected;
import io.agenthub.bus.Failures;
import io.agenthub.bus.RegisterReply;
import io.agenthub.bus.RegisterRequest;
import io.agenthub.bus.StreamAgentGone;
import io.agenthub.clock.HubClock;
import io.agenthub.protocol.ClientIds;
import io.agenthub.protocol.ClientNames;
import io.agenthub.protocol.ClientRole;
import io.agenthub.protocol.ErrorCode;
import io.agenthub.protocol.Frames;
import io.agenthub.protocol.InboundFrame;
import io.agenthub.protocol.ProtocolError;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * A client's registration and its end: the checks of a registration frame, the id from presence, the first status
 * update, and what presence and the bridge are told when the socket closes. What is addressed to the client once it
 * registered is {@link Deliveries}' part.
 */
final class Registrations {
  private static final Logger LOG = LoggerFactory.getLogger(Registrations.class);
  private static final long REGISTRATION_LIMITS_CLEANUP_MS = 60_000;

  private final EventBus bus;
  private final String nodeId;
  private final Supplier<GatewaySettings> settings;
  private final HubClock clock;
  private final ClientRegistry clients;
  private final Refusals refusals;
  private final Deliveries deliveries;
  private final RegistrationLimiter limiter = new RegistrationLimiter();
  private final FirstStatus firstStatus;
  private Consumer<ClientSession> closeListener = session -> { };

  Registrations(Vertx vertx, String nodeId, Supplier<GatewaySettings> settings, HubClock clock,
      ClientRegistry clients, Refusals refusals, Deliveries deliveries) {
    this.bus = vertx.eventBus();
    this.nodeId = nodeId;
    this.settings = settings;
    this.clock = clock;
    this.clients = clients;
    this.refusals = refusals;
    this.deliveries = deliveries;
    this.firstStatus = new FirstStatus(bus);
    vertx.setPeriodic(REGISTRATION_LIMITS_CLEANUP_MS, id -> limiter.forgetIdle(settings.get().registrationRateLimit(),
        settings.get().registrationRateBurst(), clock.nanoTime()));
  }

  void onRegistration(ClientSession session, InboundFrame frame) {
    Optional<ProtocolError> problem = problemWith(session, frame);
    if (problem.isPresent()) {
      refusals.refuse(session, problem.get(), frame.messageId());
      return;
    }
    ClientRole role = ClientRole.forRegistration(frame.type()).orElseThrow();
    String name = ClientNames.check(role, frame.body().getValue(role.nameField()), settings.get().maxNameLength())
        .name();
    RegistrationOptions options = RegistrationOptions.of(role, frame.body());
    session.startRegistration();
    session.socket().pause();
    String resumeId = frame.body().getValue(role.idField()) instanceof String previous
        && ClientIds.isWellFormed(previous) ? previous : null;
    bus.<JsonObject>request(Addresses.PRESENCE_REGISTER, new RegisterRequest(role, name, nodeId, resumeId,
            role == ClientRole.AGENT && options.streams()).toJson())
        .map(reply -> RegisterReply.fromJson(reply.body()))
        .onComplete(
            reply -> onIdGiven(session, new RegisteredClient(role, reply.clientId(), name, options), reply.resumed()),
            e -> onRegistrationFailed(session, role, e));
  }

  /** Why the frame cannot register this socket, in the order a client is told: state, rate, name, token, options. */
  private Optional<ProtocolError> problemWith(ClientSession session, InboundFrame frame) {
    GatewaySettings current = settings.get();
    if (session.state() != ClientSession.State.NEW) {
      return Optional.of(new ProtocolError(ErrorCode.ALREADY_REGISTERED,
          "This connection is already registered as " + session.clientId()));
    }
    String address = session.socket().remoteHost();
    if (!limiter.tryRegister(address, current.registrationRateLimit(), current.registrationRateBurst(),
        clock.nanoTime())) {
      return Optional.of(new ProtocolError(ErrorCode.RATE_LIMITED, "Too many registrations from " + address
          + " (at most " + current.registrationRateLimit() + " per second); retry later"));
    }
    ClientRole role = ClientRole.forRegistration(frame.type()).orElseThrow();
    ClientNames.Checked name =
        ClientNames.check(role, frame.body().getValue(role.nameField()), current.maxNameLength());
    if (!name.accepted()) {
      return Optional.of(name.error());
    }
    if (!Credentials.accepts(current.tokensFor(role),
        Credentials.presented(frame.body(), session.socket().authorization()))) {
      LOG.warn("Registration of {} as {} refused: missing or invalid token", session.logId(), role.connectionType());
      return Optional.of(new ProtocolError(ErrorCode.UNAUTHORIZED,
          "A valid token is required to register as " + role.displayName()));
    }
    return RegistrationOptions.problemIn(role, frame.body());
  }

  /**
   * Presence registered the client: the session knows who it is, and its address opens. A socket that closed while
   * presence registered it has nothing to open, and presence forgets the client at once.
   */
  private void onIdGiven(ClientSession session, RegisteredClient client, boolean resumed) {
    if (session.isClosed()) {
      LOG.debug("Socket {} closed while it registered as {}", session.logId(), client.clientId());
      bus.send(Addresses.PRESENCE_DISCONNECTED, new ClientDisconnected(client.clientId(), client.role()).toJson());
      return;
    }
    session.registered(client);
    deliveries.open(session, resumed).onComplete(
        opened -> onRegistered(session),
        e -> onRegistrationFailed(session, client.role(), e));
  }

  private void onRegistered(ClientSession session) {
    if (session.socket().isClosed()) {
      onClosed(session);
      return;
    }
    RegisteredClient client = session.client();
    clients.registered(session);
    session.cancelRegistrationTimeout();
    session.send(Frames.registrationResponse(client.role(), client.clientId(), client.name()));
    if (session.holdsLiveDeliveries()) {
      deliveries.writeUnsentAnswers(session);
    }
    session.socket().resume();
    if (LOG.isEnabledForLevel(lifecycleLevel(client.role()))) {
      LOG.atLevel(lifecycleLevel(client.role())).log("Registered {} {} \"{}\" on {}",
          client.role().connectionType(), client.clientId(), client.name(), session.logId());
    }
    Future<Void> statusSent = client.role().watchesPresence() ? sendFullStatus(session) : Future.succeededFuture();
    if (session.holdsLiveDeliveries()) {
      statusSent.onComplete(sent -> deliveries.drainBacklog(session));
    }
    if (client.options().websocketDelivery()) {
      setAgentQueueDelivery(client, true);
    }
  }

  private Future<Void> sendFullStatus(ClientSession session) {
    return firstStatus.current()
        .onSuccess(status -> session.sendEncoded(status.textFor(session)))
        .onFailure(e -> LOG.warn("Could not send agent status to {}: {}", session.logId(), e.getMessage()))
        .mapEmpty();
  }

  /** Protocol extension "WebSocket delivery": the bridge of this instance consumes the agent's queue for it. */
  private void setAgentQueueDelivery(RegisteredClient agent, boolean websocket) {
    bus.send(Addresses.BRIDGE_AGENT_DELIVERY, new AgentDeliveryChange(agent.clientId(), websocket).toJson());
  }

  private void onRegistrationFailed(ClientSession session, ClientRole role, Throwable cause) {
    if (cause instanceof ReplyException reply && reply.failureCode() == Failures.ID_IN_USE) {
      ErrorCode code = role == ClientRole.AGENT ? ErrorCode.AGENT_ID_IN_USE : ErrorCode.CLIENT_ID_IN_USE;
      session.abandonRegistration();
      session.socket().resume();
      refusals.refuse(session, new ProtocolError(code, cause.getMessage()), null);
      return;
    }
    LOG.error("Registration of {} failed: {}", session.logId(), cause.getMessage());
    if (session.hasRegistered()) {
      deliveries.close(session, "registration failed");
      bus.send(Addresses.PRESENCE_DISCONNECTED, new ClientDisconnected(session.clientId(), role).toJson());
    }
    session.abandonRegistration();
    session.socket().resume();
    session.send(Frames.error("Registration failed, please retry", ErrorCode.UNAVAILABLE));
  }

  /**
   * Frontends come and go by the thousand (a reconnection after a restart would be a line per client), so their
   * registrations and disconnects are logged at DEBUG, and their lines not even built below it; agents and brokers,
   * a few each and what routing depends on, at INFO.
   */
  private static Level lifecycleLevel(ClientRole role) {
    return role == ClientRole.FRONTEND ? Level.DEBUG : Level.INFO;
  }

  /** {@code listener} is told of every registered client's socket that closes (stream viewers leave). */
  void onClose(Consumer<ClientSession> listener) {
    closeListener = listener;
  }

  /** Runs for every socket exactly once, however it ends: presence and routing forget it. */
  Future<Void> onClosed(ClientSession session) {
    if (!session.markClosed()) {
      return Future.succeededFuture();
    }
    clients.closed(session);
    session.cancelRegistrationTimeout();
    if (!session.hasRegistered()) {
      LOG.debug("Socket {} closed before registering", session.logId());
      return Future.succeededFuture();
    }
    RegisteredClient client = session.client();
    if (client.options().websocketDelivery()) {
      setAgentQueueDelivery(client, false);
    }
    deliveries.close(session, "socket closed");
    closeListener.accept(session);
    if (client.role() == ClientRole.AGENT && client.options().streams()) {
      bus.send(Addresses.STREAMS_AGENT_GONE, new StreamAgentGone(client.clientId()).toJson());
    }
    if (LOG.isEnabledForLevel(lifecycleLevel(client.role()))) {
      LOG.atLevel(lifecycleLevel(client.role())).log("Disconnected {} {}", client.role().connectionType(),
          session.logId());
    }
    return bus.request(Addresses.PRESENCE_DISCONNECTED,
            new ClientDisconnected(client.clientId(), client.role()).toJson())
        .recover(e -> {
          LOG.warn("Presence did not acknowledge the disconnect of {}: {}", session.logId(), e.getMessage());
          return Future.succeededFuture();
        })
        .mapEmpty();
  }
}
