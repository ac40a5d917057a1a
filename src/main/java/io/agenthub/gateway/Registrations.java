package io.agenthub.gateway;

import io.agenthub.bus.Addresses;
import io.agenthub.bus.StreamAddresses;
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
import java.util.List;
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

  private final EventBus bus;
  private final String nodeId;
  private final Supplier<GatewaySettings> settings;
  private final HubClock clock;
  private final ClientRegistry clients;
  private final Refusals refusals;
  private final Deliveries deliveries;
  private final Admission admission;
  private final FirstStatus firstStatus;
  private Consumer<ClientSession> closeListener = session -> { };

  Registrations(Vertx vertx, String nodeId, Supplier<GatewaySettings> settings, HubClock clock,
      ClientRegistry clients, Refusals refusals, Deliveries deliveries, Admission admission,
      AgentDetailsView details) {
    this.bus = vertx.eventBus();
    this.nodeId = nodeId;
    this.settings = settings;
    this.clock = clock;
    this.clients = clients;
    this.refusals = refusals;
    this.deliveries = deliveries;
    this.admission = admission;
    this.firstStatus = new FirstStatus(bus, details);
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
    RegistrationOptions options = RegistrationOptions.of(role, frame.body(), settings.get().agentCardMaxBytes());
    session.startRegistration();
    session.socket().pause();
    String resumeId = frame.body().getValue(role.idField()) instanceof String previous
        && ClientIds.isWellFormed(previous) ? previous : null;
    RegisterRequest request = new RegisterRequest(role, name, nodeId, resumeId,
        role == ClientRole.AGENT && options.streams(), options.card() == null ? null : options.card().toJson());
    admission.submit(session, resumeId != null, frame.messageId(), () -> register(session, request, options));
  }

  /** Its turn has come, and its address may register: presence gives the id. Completes once it has ended. */
  private Future<Void> register(ClientSession session, RegisterRequest request, RegistrationOptions options) {
    return bus.<JsonObject>request(Addresses.PRESENCE_REGISTER, request.toJson())
        .map(reply -> RegisterReply.fromJson(reply.body()))
        .compose(reply -> onIdGiven(session, request,
            new RegisteredClient(request.role(), reply.clientId(), request.name(), options, clock.nanoTime()),
            reply))
        .recover(e -> {
          onRegistrationFailed(session, request.role(), e);
          return Future.succeededFuture();
        });
  }

  /** Why the frame cannot register this socket, in the order a client is told: state, name, token, options. */
  private Optional<ProtocolError> problemWith(ClientSession session, InboundFrame frame) {
    GatewaySettings current = settings.get();
    if (session.state() != ClientSession.State.NEW) {
      return Optional.of(new ProtocolError(ErrorCode.ALREADY_REGISTERED,
          "This connection is already registered as " + session.clientId()));
    }
    ClientRole role = ClientRole.forRegistration(frame.type()).orElseThrow();
    ClientNames.Checked name =
        ClientNames.check(role, frame.body().getValue(role.nameField()), current.maxNameLength());
    if (!name.accepted()) {
      return Optional.of(name.error());
    }
    if (!Credentials.accepts(current.tokensFor(role),
        Credentials.presented(frame.body(), session.socket().authorization()))) {
      LOG.warn("Registration of {} from {} as {} refused: missing or invalid token", session.logId(),
          session.socket().remoteHost(), role.connectionType());
      admission.refusedToken(session);
      return Optional.of(new ProtocolError(ErrorCode.UNAUTHORIZED,
          "A valid token is required to register as " + role.displayName()));
    }
    return RegistrationOptions.problemIn(role, frame.body(), current.agentCardMaxBytes());
  }

  /**
   * Presence registered the client: the session knows who it is, and its address opens. A resumed session's guard
   * starts from the keys its previous socket was written, so no frame reaches the client twice across the resume. A
   * socket that closed while presence registered it has nothing to open, and presence forgets the client at once.
   */
  private Future<Void> onIdGiven(ClientSession session, RegisterRequest request, RegisteredClient client,
      RegisterReply reply) {
    if (client.role() == ClientRole.AGENT && !client.clientId().equals(request.resumeId())) {
      admission.newAgentIdentity(session);
    }
    if (session.isClosed()) {
      LOG.debug("Socket {} closed while it registered as {}", session.logId(), client.clientId());
      bus.send(Addresses.PRESENCE_DISCONNECTED, new ClientDisconnected(client.clientId(), client.role()).toJson());
      return Future.succeededFuture();
    }
    session.registered(client);
    session.recentKeys().rememberAll(reply.recentKeys());
    return deliveries.open(session, reply.resumed()).onSuccess(opened -> onRegistered(session)).mapEmpty();
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
      LOG.atLevel(lifecycleLevel(client.role())).log("Registered {} {} \"{}\" on {} from {}",
          client.role().connectionType(), client.clientId(), client.name(), session.logId(),
          session.socket().remoteHost());
    }
    Future<Void> statusSent = client.role().watchesPresence() ? firstStatus.sendTo(session) : Future.succeededFuture();
    if (session.holdsLiveDeliveries()) {
      statusSent.onComplete(sent -> deliveries.drainBacklog(session));
    }
    if (client.options().websocketDelivery()) {
      setAgentQueueDelivery(client, true);
    }
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
    admission.closed(session, client.registeredAtNanos());
    if (client.options().websocketDelivery()) {
      setAgentQueueDelivery(client, false);
    }
    deliveries.close(session, "socket closed");
    closeListener.accept(session);
    if (client.role() == ClientRole.AGENT && client.options().streams()) {
      bus.send(StreamAddresses.STREAMS_AGENT_GONE, new StreamAgentGone(client.clientId()).toJson());
    }
    if (LOG.isEnabledForLevel(lifecycleLevel(client.role()))) {
      LOG.atLevel(lifecycleLevel(client.role())).log("Disconnected {} {}", client.role().connectionType(),
          session.logId());
    }
    List<String> recentKeys = client.role() == ClientRole.AGENT ? List.of() : session.recentKeys().toList();
    return bus.request(Addresses.PRESENCE_DISCONNECTED,
            new ClientDisconnected(client.clientId(), client.role(), recentKeys).toJson())
        .recover(e -> {
          LOG.warn("Presence did not acknowledge the disconnect of {}: {}", session.logId(), e.getMessage());
          return Future.succeededFuture();
        })
        .mapEmpty();
  }
}
