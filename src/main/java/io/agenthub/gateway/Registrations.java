package io.agenthub.gateway;

import io.agenthub.bus.Addresses;
import io.agenthub.bus.AgentDeliveryChange;
import io.agenthub.bus.AgentList;
import io.agenthub.bus.AgentsQuery;
import io.agenthub.bus.ClientDisconnected;
import io.agenthub.bus.DrainReply;
import io.agenthub.bus.DrainRequest;
import io.agenthub.bus.Failures;
import io.agenthub.bus.RegisterReply;
import io.agenthub.bus.RegisterRequest;
import io.agenthub.metrics.HubMetrics;
import io.agenthub.protocol.ClientIds;
import io.agenthub.protocol.ClientNames;
import io.agenthub.protocol.ClientRole;
import io.agenthub.protocol.ErrorCode;
import io.agenthub.protocol.Frames;
import io.agenthub.protocol.InboundFrame;
import io.agenthub.protocol.ProtocolError;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client's registration and its end: the checks of a registration frame, the id from presence, the client's
 * delivery address, its first status update, a resumed session's backlog, and what presence and the bridge are told
 * when the socket closes.
 */
final class Registrations {
  private static final Logger LOG = LoggerFactory.getLogger(Registrations.class);
  private static final long REGISTRATION_LIMITS_CLEANUP_MS = 60_000;
  /** How long the bridge may take to write a resumed session's whole backlog before the gateway stops waiting. */
  private static final long BACKLOG_TIMEOUT_MS = 600_000;

  private final Vertx vertx;
  private final EventBus bus;
  private final String nodeId;
  private final Supplier<GatewaySettings> settings;
  private final ClientRegistry clients;
  private final Refusals refusals;
  private final MeterRegistry metrics;
  private final RegistrationLimiter limiter = new RegistrationLimiter();
  private final UnsentAnswers unsentAnswers;
  /** The last first-status frame sent and the list it shows; both null before the first registration. */
  private Broadcast lastFullStatus;
  private JsonArray lastFullStatusAgents;

  Registrations(Vertx vertx, String nodeId, Supplier<GatewaySettings> settings, ClientRegistry clients,
      Refusals refusals, MeterRegistry metrics) {
    this.vertx = vertx;
    this.metrics = metrics;
    this.bus = vertx.eventBus();
    this.nodeId = nodeId;
    this.settings = settings;
    this.clients = clients;
    this.refusals = refusals;
    this.unsentAnswers = new UnsentAnswers(vertx, settings);
    vertx.setPeriodic(REGISTRATION_LIMITS_CLEANUP_MS, id -> limiter.forgetIdle(settings.get().registrationRateLimit(),
        settings.get().registrationRateBurst(), System.nanoTime()));
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
    session.startRegistration(role, name, RegistrationOptions.of(role, frame.body()));
    session.socket().pause();
    String resumeId = frame.body().getValue(role.idField()) instanceof String previous
        && ClientIds.isWellFormed(previous) ? previous : null;
    bus.<JsonObject>request(Addresses.PRESENCE_REGISTER, new RegisterRequest(role, name, nodeId, resumeId).toJson())
        .map(reply -> RegisterReply.fromJson(reply.body()))
        .compose(reply -> openDeliveries(session, reply))
        .onSuccess(v -> onRegistered(session))
        .onFailure(e -> onRegistrationFailed(session, e));
  }

  /** Why the frame cannot register this socket, in the order a client is told: state, rate, name, token, options. */
  private Optional<ProtocolError> problemWith(ClientSession session, InboundFrame frame) {
    GatewaySettings current = settings.get();
    if (session.state() != ClientSession.State.NEW) {
      return Optional.of(new ProtocolError(ErrorCode.ALREADY_REGISTERED,
          "This connection is already registered as " + session.clientId()));
    }
    String address = remoteHost(session);
    if (!limiter.tryRegister(address, current.registrationRateLimit(), current.registrationRateBurst(),
        System.nanoTime())) {
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
        Credentials.presented(frame.body(), session.socket().headers()))) {
      LOG.warn("Registration of {} as {} refused: missing or invalid token", session.logId(), role.connectionType());
      return Optional.of(new ProtocolError(ErrorCode.UNAUTHORIZED,
          "A valid token is required to register as " + role.displayName()));
    }
    return RegistrationOptions.problemIn(role, frame.body());
  }

  private static String remoteHost(ClientSession session) {
    SocketAddress remote = session.socket().remoteAddress();
    return remote == null ? "unknown" : remote.hostAddress();
  }

  /** A resumed session holds back live deliveries from the start, so its backlog cannot be overtaken. */
  private Future<Void> openDeliveries(ClientSession session, RegisterReply reply) {
    if (reply.resumed()) {
      session.holdLiveDeliveries();
    }
    MessageConsumer<String> consumer = bus.consumer(Addresses.client(reply.clientId()), msg -> deliver(session, msg));
    session.completeRegistration(reply.clientId(), consumer);
    return consumer.completion();
  }

  private void onRegistered(ClientSession session) {
    if (session.socket().isClosed()) {
      onClosed(session);
      return;
    }
    clients.registered(session);
    session.cancelRegistrationTimeout();
    session.send(Frames.registrationResponse(session.role(), session.clientId(), session.name()));
    if (session.holdsLiveDeliveries()) {
      unsentAnswers.takeFor(session.clientId()).forEach(session::sendEncoded);
    }
    session.socket().resume();
    LOG.info("Registered {} {} \"{}\" on {}", session.role().connectionType(), session.clientId(), session.name(),
        session.logId());
    Future<Void> statusSent = session.role().watchesPresence() ? sendFullStatus(session) : Future.succeededFuture();
    if (session.holdsLiveDeliveries()) {
      statusSent.onComplete(sent -> deliverBacklog(session));
    }
    if (session.options().websocketDelivery()) {
      setAgentQueueDelivery(session, true);
    }
  }

  private Future<Void> sendFullStatus(ClientSession session) {
    return bus.<JsonObject>request(Addresses.PRESENCE_AGENTS, new AgentsQuery(false).toJson())
        .map(reply -> fullStatus(AgentList.fromJson(reply.body()).agents()))
        .onSuccess(status -> session.sendEncoded(status.textFor(session)))
        .onFailure(e -> LOG.warn("Could not send agent status to {}: {}", session.logId(), e.getMessage()))
        .mapEmpty();
  }

  /**
   * The first status of a registering client, encoded once while the list stays the same: between presence
   * changes every registering frontend gets the same list, and encoding it for each was the hub's largest JSON
   * cost per registration. Comparing the lists is cheaper than encoding one. Delta clients still get their own
   * numbered frame from {@link Broadcast#textFor}.
   */
  private Broadcast fullStatus(JsonArray agents) {
    Broadcast cached = lastFullStatus;
    if (cached == null || !agents.equals(lastFullStatusAgents)) {
      cached = Broadcast.fullStatus(agents);
      lastFullStatus = cached;
      lastFullStatusAgents = agents;
    }
    return cached;
  }

  /** Protocol extension "WebSocket delivery": the bridge of this instance consumes the agent's queue for it. */
  private void setAgentQueueDelivery(ClientSession session, boolean websocket) {
    bus.send(Addresses.BRIDGE_AGENT_DELIVERY, new AgentDeliveryChange(session.clientId(), websocket).toJson());
  }

  /**
   * Protocol extension "session resume": what was addressed to the client while it was away is written first, then
   * the live deliveries held meanwhile, in arrival order. Held deliveries are not kept past half of
   * DELIVERY_TIMEOUT_MS, so their senders are never timed out: a backlog that takes longer is overtaken from then on.
   */
  private void deliverBacklog(ClientSession session) {
    long holdLimitMs = Math.max(1, settings.get().deliveryTimeout().toMillis() / 2);
    long holdTimer = vertx.setTimer(holdLimitMs, expired -> {
      LOG.warn("Backlog of {} still being delivered after {} ms; live messages are no longer held back",
          session.logId(), holdLimitMs);
      writeHeldDeliveries(session);
    });
    bus.<JsonObject>request(Addresses.BRIDGE_DRAIN, new DrainRequest(session.clientId()).toJson(),
            new DeliveryOptions().setSendTimeout(BACKLOG_TIMEOUT_MS))
        .onComplete(drained -> {
          vertx.cancelTimer(holdTimer);
          if (drained.succeeded()) {
            LOG.info("Resumed {}: {} messages that waited for it delivered", session.logId(),
                DrainReply.fromJson(drained.result().body()).delivered());
          } else if (!session.isClosed()) {
            LOG.warn("Backlog of {} not fully delivered (the rest stays in its resume queue): {}", session.logId(),
                drained.cause().getMessage());
          }
          writeHeldDeliveries(session);
        });
  }

  /**
   * The hub's answer to a chat message the client sent, for its socket; a frontend or broker whose socket closed
   * first may resume its session, so the answer follows it ({@link UnsentAnswers}).
   */
  void answer(ClientSession session, String frame) {
    session.sendEncoded(frame).onFailure(closed -> {
      if (session.role() != ClientRole.AGENT) {
        unsentAnswers.deliverOrKeep(session.clientId(), frame);
      }
    });
  }

  /**
   * A frame addressed to one client: the reply tells the sender (the bridge) it reached the socket. While a resumed
   * session's backlog is written, live frames wait unanswered, so nothing is lost if this instance dies meanwhile.
   * A frame whose delivery key this socket already got (a redelivery routed again, maybe by another instance) is
   * answered as delivered and not written twice.
   */
  private void deliver(ClientSession session, Message<String> msg) {
    if (session.holdsLiveDeliveries() && !msg.headers().contains(Addresses.PARKED_HEADER)) {
      session.holdDelivery(msg);
      return;
    }
    if (session.alreadyWrote(msg.headers().get(Addresses.DELIVERY_KEY_HEADER))) {
      HubMetrics.duplicateSuppressed(metrics);
      LOG.debug("Frame with delivery key {} already written to {}; acknowledged without writing it again",
          msg.headers().get(Addresses.DELIVERY_KEY_HEADER), session.logId());
      msg.reply(null);
      return;
    }
    session.sendEncoded(msg.body()).onComplete(
        ok -> msg.reply(null),
        e -> msg.fail(Failures.SOCKET_GONE, "delivery to " + session.logId() + " failed: " + e.getMessage()));
  }

  private void writeHeldDeliveries(ClientSession session) {
    session.releaseHeldDeliveries().forEach(held -> deliver(session, held));
  }

  /** Held deliveries of a session that ends: their senders keep them for the client's next resume. */
  private void failHeldDeliveries(ClientSession session, String why) {
    session.releaseHeldDeliveries().forEach(held -> held.fail(Failures.SOCKET_GONE,
        session.logId() + ": " + why + " before its backlog was delivered"));
  }

  private void onRegistrationFailed(ClientSession session, Throwable cause) {
    if (cause instanceof ReplyException reply && reply.failureCode() == Failures.ID_IN_USE) {
      ErrorCode code = session.role() == ClientRole.AGENT ? ErrorCode.AGENT_ID_IN_USE : ErrorCode.CLIENT_ID_IN_USE;
      session.abandonRegistration();
      session.socket().resume();
      refusals.refuse(session, new ProtocolError(code, cause.getMessage()), null);
      return;
    }
    LOG.error("Registration of {} failed: {}", session.logId(), cause.getMessage());
    if (session.deliveries() != null) {
      session.deliveries().unregister();
      failHeldDeliveries(session, "registration failed");
      bus.send(Addresses.PRESENCE_DISCONNECTED, new ClientDisconnected(session.clientId(), session.role()).toJson());
    }
    session.abandonRegistration();
    session.socket().resume();
    session.send(Frames.error("Registration failed, please retry", ErrorCode.UNAVAILABLE));
  }

  /** Runs for every socket exactly once, however it ends: presence and routing forget it. */
  Future<Void> onClosed(ClientSession session) {
    if (!session.markClosed()) {
      return Future.succeededFuture();
    }
    clients.closed(session);
    session.cancelRegistrationTimeout();
    if (session.clientId() == null) {
      LOG.debug("Socket {} closed before registering", session.logId());
      return Future.succeededFuture();
    }
    if (session.options().websocketDelivery()) {
      setAgentQueueDelivery(session, false);
    }
    session.deliveries().unregister();
    failHeldDeliveries(session, "socket closed");
    LOG.info("Disconnected {} {}", session.role().connectionType(), session.logId());
    return bus.request(Addresses.PRESENCE_DISCONNECTED,
            new ClientDisconnected(session.clientId(), session.role()).toJson())
        .recover(e -> {
          LOG.warn("Presence did not acknowledge the disconnect of {}: {}", session.logId(), e.getMessage());
          return Future.succeededFuture();
        })
        .mapEmpty();
  }
}
