package io.agenthub.gateway;

import io.agenthub.metrics.HubMetrics;
import io.agenthub.bus.Addresses;
import io.agenthub.bus.Failures;
import io.agenthub.bus.ForwardRequest;
import io.agenthub.bus.MonitorCopy;
import io.agenthub.config.HubConfig;
import io.agenthub.protocol.ChatMessages;
import io.agenthub.protocol.ClientIds;
import io.agenthub.protocol.ClientNames;
import io.agenthub.protocol.ClientRole;
import io.agenthub.protocol.ErrorCode;
import io.agenthub.protocol.Fields;
import io.agenthub.protocol.Frames;
import io.agenthub.protocol.InboundFrame;
import io.agenthub.protocol.MessageType;
import io.agenthub.protocol.ProtocolError;
import io.agenthub.protocol.Queues;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.handler.codec.compression.DecompressionException;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.Router;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns every client socket of this instance: accepts WebSockets on {@code /ws}, parses and validates frames,
 * registers clients through presence, forwards chat messages through the bridge and writes what other verticles
 * address to its clients. Nothing else touches a socket.
 */
public final class GatewayVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayVerticle.class);
  /** Frames above MAX_FRAME_BYTES up to this size get an ERROR; larger ones are cut off by the transport (close 1009). */
  static final int TRANSPORT_FRAME_LIMIT = 2 * 1_048_576;
  private static final short CLOSE_GOING_AWAY = 1001;
  private static final short CLOSE_REGISTRATION_TIMEOUT = 1008;
  /** Seconds a refused upgrade is told to wait (503 at the instance limit, 429 at the per-address limit). */
  private static final int RETRY_AFTER_SECONDS = 5;
  private static final AtomicLong CONNECTION_COUNTER = new AtomicLong();
  private static final int BROADCAST_SLICE = 500;
  private static final long REGISTRATION_LIMITS_CLEANUP_MS = 60_000;
  /** How long the bridge may take to write a resumed session's whole backlog before the gateway stops waiting. */
  private static final long BACKLOG_TIMEOUT_MS = 600_000;

  private final String nodeId;
  private HubConfig config;
  private OriginPolicy origins;
  private HttpServer server;
  private MeterRegistry metrics;
  private final Set<ClientSession> sessions = new LinkedHashSet<>();
  private final Map<String, ClientSession> registered = new HashMap<>();
  private final RegistrationLimiter registrations = new RegistrationLimiter();
  private final ConnectionLimits limits = new ConnectionLimits();
  /** True from the first upgrade refused at MAX_CONNECTIONS until one is accepted again: logged once per episode. */
  private boolean refusingAtInstanceLimit;
  /** Status changes waiting for the end of the current run of queued messages; null when there are none. */
  private StatusBatch pendingStatus;

  public GatewayVerticle(String nodeId) {
    this.nodeId = nodeId;
  }

  @Override
  public Future<?> start() {
    applyConfig(HubConfig.fromJson(config()));
    metrics = HubMetrics.registry();
    HubMetrics.gaugeConnections(metrics, sessions::size);
    vertx.eventBus().<JsonObject>localConsumer(Addresses.CONFIG_CHANGED, msg -> applyConfig(HubConfig.fromJson(msg.body())));
    vertx.eventBus().<JsonObject>consumer(Addresses.GATEWAY_BROADCAST, msg -> onBroadcast(msg.body()));
    vertx.eventBus().<JsonObject>localConsumer(Addresses.GATEWAY_LOCAL_BROADCAST, msg -> onBroadcast(msg.body()));
    MessageConsumer<JsonObject> monitors =
        vertx.eventBus().consumer(Addresses.gatewayMonitors(nodeId), this::onMonitorCopy);
    vertx.setPeriodic(REGISTRATION_LIMITS_CLEANUP_MS, id -> registrations.forgetIdle(config.registrationRateLimit(),
        config.registrationRateBurst(), System.nanoTime()));
    HubStatus status = new HubStatus(vertx, nodeId, this::connectionCounts, registered::values, metrics);
    Router router = new HttpEndpoints(vertx, () -> config, () -> origins, this::connectionCounts, status).router();
    return monitors.completion()
        .compose(v -> status.serve())
        .compose(v -> TransportOptions.of(vertx, config, TRANSPORT_FRAME_LIMIT))
        .compose(options -> {
          server = vertx.createHttpServer(options).requestHandler(request -> onRequest(request, router));
          if (config.webSocketCompression()) {
            server.connectionHandler(connection -> BoundedCompression.install(connection, TRANSPORT_FRAME_LIMIT));
          }
          return server.listen(config.port(), config.host()).recover(this::explainListenFailure);
        })
        .onSuccess(s -> LOG.info("Gateway listening on {}:{} (clients are told {}{})", config.host(), s.actualPort(),
            config.publicWebSocketUrl(), config.webSocketCompression() ? ", permessage-deflate accepted" : ""));
  }

  private Future<HttpServer> explainListenFailure(Throwable failure) {
    return Future.failedFuture(!config.tlsEnabled() ? failure : new IllegalArgumentException(
        "TLS_CERT_FILE=" + config.tlsCertFile() + " and TLS_KEY_FILE=" + config.tlsKeyFile()
            + " are not a usable certificate and private key: " + failure.getMessage(), failure));
  }

  /** Graceful shutdown: every socket is closed with 1001 and presence hears of each before the server goes. */
  @Override
  public Future<?> stop() {
    return vertx.eventBus().request(Addresses.PRESENCE_LEAVING, new JsonObject())
        .onFailure(e -> LOG.warn("Presence did not record this instance's agents offline before shutdown: {}", e.getMessage()))
        .transform(ar -> closeEverySocket());
  }

  private Future<?> closeEverySocket() {
    List<Future<?>> closing = new ArrayList<>();
    for (ClientSession session : List.copyOf(sessions)) {
      closing.add(session.socket().close(CLOSE_GOING_AWAY, "Server shutdown").recover(e -> Future.succeededFuture())
          .compose(v -> onClosed(session)));
    }
    LOG.info("Gateway closing {} sockets for shutdown", closing.size());
    return Future.join(closing).eventually(() -> server.close());
  }

  /** The port actually bound, for tests that ask for port 0. */
  public int actualPort() {
    return server.actualPort();
  }

  private void applyConfig(HubConfig newConfig) {
    config = newConfig;
    origins = new OriginPolicy(newConfig.corsAllowedOrigins());
  }

  private Map<String, Integer> connectionCounts() {
    Map<String, Integer> counts = new HashMap<>();
    counts.put("sockets", sessions.size());
    for (ClientRole role : ClientRole.values()) {
      counts.put(role.connectionType(), 0);
    }
    registered.values().forEach(s -> counts.merge(s.role().connectionType(), 1, Integer::sum));
    return counts;
  }

  /**
   * WebSocket upgrades are decided here, before the socket exists, so that a refusal is an HTTP status a client can
   * act on: 404 off {@code /ws}, 403 for an origin not allowed, 503 with Retry-After when this instance holds
   * MAX_CONNECTIONS sockets, 429 with Retry-After when the remote address holds MAX_CONNECTIONS_PER_ADDRESS.
   * Everything else goes to the HTTP endpoints.
   */
  private void onRequest(HttpServerRequest request, Router router) {
    if (!isWebSocketUpgrade(request)) {
      router.handle(request);
      return;
    }
    if (!"/ws".equals(request.path())) {
      request.response().setStatusCode(404).end();
      return;
    }
    String origin = request.headers().get(HttpHeaders.ORIGIN);
    if (!origins.allows(origin)) {
      LOG.warn("WebSocket upgrade from {} refused: origin {} is not allowed", request.remoteAddress(), origin);
      HubMetrics.connectionRefused(metrics, "origin_not_allowed");
      request.response().setStatusCode(403).end();
      return;
    }
    String address = request.remoteAddress().hostAddress();
    Optional<ConnectionLimits.Refusal> refusal =
        limits.tryOpen(address, config.maxConnections(), config.maxConnectionsPerAddress());
    if (refusal.isPresent()) {
      refuseUpgrade(request, address, refusal.get());
      return;
    }
    refusingAtInstanceLimit = false;
    request.toWebSocket().onComplete(socket -> onWebSocket(socket, address), e -> {
      limits.closed(address);
      LOG.debug("WebSocket upgrade from {} failed: {}", address, e.getMessage());
    });
  }

  private static boolean isWebSocketUpgrade(HttpServerRequest request) {
    return request.method() == HttpMethod.GET
        && request.headers().contains(HttpHeaders.UPGRADE, HttpHeaders.WEBSOCKET, true);
  }

  private void refuseUpgrade(HttpServerRequest request, String address, ConnectionLimits.Refusal refusal) {
    HubMetrics.connectionRefused(metrics, refusal.reason);
    if (refusal == ConnectionLimits.Refusal.INSTANCE_FULL && !refusingAtInstanceLimit) {
      refusingAtInstanceLimit = true;
      LOG.warn("Refusing WebSocket upgrades with 503: this instance holds {} sockets (MAX_CONNECTIONS {})",
          limits.open(), config.maxConnections());
    } else {
      LOG.debug("WebSocket upgrade from {} refused with {}: {}", address, refusal.httpStatus, refusal.reason);
    }
    request.response().setStatusCode(refusal.httpStatus)
        .putHeader(HttpHeaders.RETRY_AFTER, String.valueOf(RETRY_AFTER_SECONDS))
        .end(refusal == ConnectionLimits.Refusal.INSTANCE_FULL
            ? "This hub instance holds its maximum of WebSocket connections; retry later"
            : "Too many WebSocket connections from this address; retry later");
  }

  private void onWebSocket(ServerWebSocket socket, String address) {
    if (socket.isClosed()) {
      limits.closed(address);
      return;
    }
    String connectionId = "conn-" + CONNECTION_COUNTER.incrementAndGet();
    ClientSession session = new ClientSession(vertx, socket, connectionId,
        new TokenBucket(config.clientRateBurst(), System.nanoTime()), () -> config.clientMaxUnreadChars());
    sessions.add(session);
    LOG.debug("Socket {} opened from {}", connectionId, socket.remoteAddress());
    MessageAssembler messages = new MessageAssembler(TRANSPORT_FRAME_LIMIT, text -> onText(session, text),
        () -> onBinary(session), (status, reason) -> closeForTransportRule(session, status, reason));
    socket.frameHandler(messages::accept);
    socket.exceptionHandler(e -> onSocketFailure(session, e));
    socket.closeHandler(v -> {
      limits.closed(address);
      onClosed(session);
    });
    vertx.setTimer(Math.max(1, config.registrationTimeout().toMillis()), t -> closeIfUnregistered(session));
  }

  /** A socket that never registers would hold a connection slot for nothing. */
  private void closeIfUnregistered(ClientSession session) {
    if (!session.isRegistered() && !session.socket().isClosed()) {
      closeForTransportRule(session, CLOSE_REGISTRATION_TIMEOUT, "Registration timeout");
    }
  }

  /**
   * A frame the decoder refuses is closed with the status it names: 1002 for a protocol error (a reserved bit set
   * without a negotiated extension, a bad opcode or fragment order, an unmasked frame), 1009 for a frame over
   * {@link #TRANSPORT_FRAME_LIMIT}; a compressed frame that inflates beyond it gets 1009 as well.
   */
  private void onSocketFailure(ClientSession session, Throwable failure) {
    if (!session.socket().isClosed() && failure instanceof CorruptedWebSocketFrameException corrupted) {
      closeForTransportRule(session, (short) corrupted.closeStatus().code(), corrupted.closeStatus().reasonText());
      LOG.debug("Socket {} sent a frame the decoder refused: {}", session.logId(), failure.getMessage());
    } else if (!session.socket().isClosed() && failure instanceof DecompressionException) {
      closeForTransportRule(session, MessageAssembler.CLOSE_MESSAGE_TOO_BIG, "Message Too Big");
      LOG.debug("Socket {} sent a frame that inflates too far: {}", session.logId(), failure.getMessage());
    } else {
      LOG.debug("Socket {} failed: {}", session.logId(), failure.getMessage());
    }
  }

  private void closeForTransportRule(ClientSession session, short status, String reason) {
    LOG.info("Closing {} with {} \"{}\"", session.logId(), status, reason);
    HubMetrics.closedByHub(metrics, status);
    session.socket().close(status, reason);
  }

  private void onBinary(ClientSession session) {
    if (admitted(session)) {
      refuse(session, InboundFrame.binaryRefused().error(), null);
    }
  }

  private void onText(ClientSession session, String text) {
    if (!admitted(session)) {
      return;
    }
    InboundFrame frame = InboundFrame.parse(text, config.maxFrameBytes());
    if (frame.body() == null) {
      refuse(session, frame.error(), null);
    } else if (session.state() == ClientSession.State.NEW && (frame.type() == null || !frame.type().isRegistration())) {
      refuse(session, new ProtocolError(ErrorCode.NOT_REGISTERED, Frames.TEXT_MUST_REGISTER), frame.messageId());
    } else if (!frame.isValid()) {
      refuse(session, frame.error(), frame.messageId());
    } else if (frame.type().isRegistration()) {
      onRegistration(session, frame);
    } else {
      dispatch(session, frame);
    }
  }

  /** Flood control: a frame over the client's rate is answered with RATE_LIMITED and not processed. */
  private boolean admitted(ClientSession session) {
    if (session.floodLimit().tryTake(config.clientRateLimit(), config.clientRateBurst(), System.nanoTime())) {
      return true;
    }
    HubMetrics.frameRefused(metrics, ErrorCode.RATE_LIMITED);
    session.send(Frames.error("Rate limit of " + config.clientRateLimit() + " frames per second exceeded; frame dropped",
        ErrorCode.RATE_LIMITED));
    return false;
  }

  private void refuse(ClientSession session, ProtocolError error, String messageId) {
    HubMetrics.frameRefused(metrics, error.code());
    LOG.debug("Frame from {} refused: {} {}", session.logId(), error.code(), error.text());
    JsonObject reply = error.toFrame();
    if (messageId != null) {
      reply.put(Fields.IN_REPLY_TO_MESSAGE_ID, messageId);
    }
    session.send(reply);
  }

  private void onRegistration(ClientSession session, InboundFrame frame) {
    if (session.state() != ClientSession.State.NEW) {
      refuse(session, new ProtocolError(ErrorCode.ALREADY_REGISTERED,
          "This connection is already registered as " + session.clientId()), frame.messageId());
      return;
    }
    String address = remoteHost(session);
    if (!registrations.tryRegister(address, config.registrationRateLimit(), config.registrationRateBurst(),
        System.nanoTime())) {
      refuse(session, new ProtocolError(ErrorCode.RATE_LIMITED, "Too many registrations from " + address
          + " (at most " + config.registrationRateLimit() + " per second); retry later"), frame.messageId());
      return;
    }
    ClientRole role = ClientRole.forRegistration(frame.type()).orElseThrow();
    ClientNames.Checked name = ClientNames.check(role, frame.body().getValue(role.nameField()), config.maxNameLength());
    if (!name.accepted()) {
      refuse(session, name.error(), frame.messageId());
      return;
    }
    if (!Credentials.accepts(config.tokensFor(role),
        Credentials.presented(frame.body(), session.socket().headers()))) {
      LOG.warn("Registration of {} as {} refused: missing or invalid token", session.logId(), role.connectionType());
      refuse(session, new ProtocolError(ErrorCode.UNAUTHORIZED,
          "A valid token is required to register as " + role.displayName()), frame.messageId());
      return;
    }
    Optional<ProtocolError> badOption = RegistrationOptions.problemIn(role, frame.body());
    if (badOption.isPresent()) {
      refuse(session, badOption.get(), frame.messageId());
      return;
    }
    session.startRegistration(role, name.name(), RegistrationOptions.of(role, frame.body()));
    session.socket().pause();
    JsonObject request = new JsonObject().put("role", role.connectionType()).put("name", name.name())
        .put("node_id", nodeId);
    if (frame.body().getValue(role.idField()) instanceof String previous && ClientIds.isWellFormed(previous)) {
      request.put("resume_id", previous);
    }
    vertx.eventBus().<JsonObject>request(Addresses.PRESENCE_REGISTER, request)
        .compose(reply -> openDeliveries(session, reply.body().getString("client_id"),
            reply.body().getBoolean("resumed", false)))
        .onSuccess(v -> onRegistered(session))
        .onFailure(e -> onRegistrationFailed(session, e));
  }

  private static String remoteHost(ClientSession session) {
    SocketAddress remote = session.socket().remoteAddress();
    return remote == null ? "unknown" : remote.hostAddress();
  }

  /** A resumed session holds back live deliveries from the start, so its backlog cannot be overtaken. */
  private Future<Void> openDeliveries(ClientSession session, String clientId, boolean resumedSession) {
    if (resumedSession) {
      session.holdLiveDeliveries();
    }
    MessageConsumer<String> consumer = vertx.eventBus().consumer(Addresses.client(clientId),
        msg -> deliver(session, msg));
    session.completeRegistration(clientId, consumer);
    return consumer.completion();
  }

  private void onRegistered(ClientSession session) {
    if (session.socket().isClosed()) {
      onClosed(session);
      return;
    }
    registered.put(session.clientId(), session);
    session.send(Frames.registrationResponse(session.role(), session.clientId(), session.name()));
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

  /** Protocol extension "WebSocket delivery": the bridge of this instance consumes the agent's queue for it. */
  private void setAgentQueueDelivery(ClientSession session, boolean websocket) {
    vertx.eventBus().send(Addresses.BRIDGE_AGENT_DELIVERY,
        new JsonObject().put("agent_id", session.clientId()).put("websocket", websocket));
  }

  /**
   * Protocol extension "session resume": what was addressed to the client while it was away is written first, then
   * the live deliveries held meanwhile, in arrival order. Held deliveries are not kept past half of
   * DELIVERY_TIMEOUT_MS, so their senders are never timed out: a backlog that takes longer is overtaken from then on.
   */
  private void deliverBacklog(ClientSession session) {
    long holdLimitMs = Math.max(1, config.deliveryTimeout().toMillis() / 2);
    long holdTimer = vertx.setTimer(holdLimitMs, expired -> {
      LOG.warn("Backlog of {} still being delivered after {} ms; live messages are no longer held back",
          session.logId(), holdLimitMs);
      writeHeldDeliveries(session);
    });
    vertx.eventBus().<JsonObject>request(Addresses.BRIDGE_DRAIN, new JsonObject().put("client_id", session.clientId()),
            new DeliveryOptions().setSendTimeout(BACKLOG_TIMEOUT_MS))
        .onComplete(drained -> {
          vertx.cancelTimer(holdTimer);
          if (drained.succeeded()) {
            LOG.info("Resumed {}: {} messages that waited for it delivered", session.logId(),
                drained.result().body().getInteger("delivered"));
          } else if (!session.isClosed()) {
            LOG.warn("Backlog of {} not fully delivered (the rest stays in {}): {}", session.logId(),
                Queues.resumeQueue(session.clientId()), drained.cause().getMessage());
          }
          writeHeldDeliveries(session);
        });
  }

  /** Held deliveries of a session that ends: their senders keep them for the client's next resume. */
  private void failHeldDeliveries(ClientSession session, String why) {
    session.releaseHeldDeliveries().forEach(held -> held.fail(Addresses.FAILURE_SOCKET_GONE,
        session.logId() + ": " + why + " before its backlog was delivered"));
  }

  private void writeHeldDeliveries(ClientSession session) {
    session.releaseHeldDeliveries().forEach(held -> deliver(session, held));
  }

  private void onRegistrationFailed(ClientSession session, Throwable cause) {
    if (cause instanceof ReplyException reply && reply.failureCode() == Addresses.FAILURE_ID_IN_USE) {
      ErrorCode code = session.role() == ClientRole.AGENT ? ErrorCode.AGENT_ID_IN_USE : ErrorCode.CLIENT_ID_IN_USE;
      session.abandonRegistration();
      session.socket().resume();
      refuse(session, new ProtocolError(code, cause.getMessage()), null);
      return;
    }
    LOG.error("Registration of {} failed: {}", session.logId(), cause.getMessage());
    if (session.deliveries() != null) {
      session.deliveries().unregister();
      failHeldDeliveries(session, "registration failed");
      vertx.eventBus().send(Addresses.PRESENCE_DISCONNECTED,
          new JsonObject().put("client_id", session.clientId()).put("role", session.role().connectionType()));
    }
    session.abandonRegistration();
    session.socket().resume();
    session.send(Frames.error("Registration failed, please retry", ErrorCode.UNAVAILABLE));
  }

  private Future<Void> sendFullStatus(ClientSession session) {
    return vertx.eventBus().<JsonObject>request(Addresses.PRESENCE_AGENTS, new JsonObject())
        .map(reply -> Broadcast.fullStatus(reply.body().getJsonArray("agents")))
        .onSuccess(status -> session.sendEncoded(status.textFor(session)))
        .onFailure(e -> LOG.warn("Could not send agent status to {}: {}", session.logId(), e.getMessage()))
        .mapEmpty();
  }

  private void dispatch(ClientSession session, InboundFrame frame) {
    MessageType type = frame.type();
    if (type.isChat()) {
      onChat(session, frame);
    } else if (type == MessageType.PING) {
      session.send(Frames.serverPong());
    } else if (type == MessageType.PONG) {
      onPong(session);
    } else if (type == MessageType.REQUEST_AGENT_STATUS) {
      onStatusRequest(session);
    } else {
      refuse(session, new ProtocolError(ErrorCode.UNSUPPORTED_MESSAGE_TYPE,
          type + " is sent by the hub, not accepted from clients"), frame.messageId());
    }
  }

  private void onChat(ClientSession session, InboundFrame frame) {
    Optional<ProtocolError> problem = ChatMessages.validate(frame.body());
    if (problem.isPresent()) {
      refuse(session, problem.get(), frame.messageId());
      return;
    }
    JsonObject message = ChatMessages.stampFromClient(frame.body(), session.clientId(), session.role());
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(config.publishConfirmTimeout().toMillis() + 1_000);
    vertx.eventBus().request(Addresses.BRIDGE_FORWARD, new ForwardRequest(message.encode()).toJson(), options)
        .onSuccess(ok -> onForwarded(session))
        .onFailure(e -> onForwardFailed(session, message, e));
  }

  /** The bridge sends the monitoring copy once RabbitMQ confirmed the message. */
  private void onForwarded(ClientSession session) {
    HubMetrics.forwarded(metrics, session.role());
  }

  private void onForwardFailed(ClientSession session, JsonObject message, Throwable cause) {
    String messageId = message.getString(Fields.MESSAGE_ID);
    ErrorCode code = forwardFailureCode(cause);
    LOG.debug("Message {} from {} not forwarded to {} ({}): {}", messageId, session.logId(), Queues.BROKER_INPUT,
        code, cause.getMessage());
    HubMetrics.frameRefused(metrics, code);
    session.send(Frames.forwardFailed(session.clientId(), messageId, code));
  }

  /**
   * FORWARD_FAILED only when the message certainly did not reach RabbitMQ; when it may have (its confirm was lost,
   * or the bridge did not answer in time), the sender is told the outcome is unknown.
   */
  private static ErrorCode forwardFailureCode(Throwable cause) {
    if (cause instanceof ReplyException reply
        && (reply.failureType() == ReplyFailure.NO_HANDLERS || reply.failureCode() == Failures.NOT_PUBLISHED)) {
      return ErrorCode.FORWARD_FAILED;
    }
    return ErrorCode.FORWARD_OUTCOME_UNKNOWN;
  }

  private void onPong(ClientSession session) {
    if (session.role() != ClientRole.FRONTEND) {
      vertx.eventBus().send(Addresses.PRESENCE_PONG,
          new JsonObject().put("client_id", session.clientId()).put("role", session.role().connectionType()));
    }
  }

  private void onStatusRequest(ClientSession session) {
    if (session.role() != ClientRole.BROKER) {
      HubMetrics.frameRefused(metrics, ErrorCode.FORBIDDEN);
      session.send(Frames.onlyBrokerMayRequestStatus());
      return;
    }
    vertx.eventBus().<JsonObject>request(Addresses.PRESENCE_AGENTS, new JsonObject())
        .onSuccess(reply -> vertx.eventBus().publish(Addresses.GATEWAY_BROADCAST, new JsonObject()
            .put("roles", new JsonArray().add(ClientRole.BROKER.connectionType()))
            .put("frame", Frames.agentStatusUpdate(reply.body().getJsonArray("agents")))))
        .onFailure(e -> LOG.warn("Agent status for {} failed: {}", session.logId(), e.getMessage()));
  }

  /**
   * A frame addressed to one client: the reply tells the sender (the bridge) it reached the socket. While a resumed
   * session's backlog is written, live frames wait unanswered, so nothing is lost if this instance dies meanwhile.
   */
  private void deliver(ClientSession session, Message<String> msg) {
    if (session.holdsLiveDeliveries() && !msg.headers().contains(Addresses.PARKED_HEADER)) {
      session.holdDelivery(msg);
      return;
    }
    session.sendEncoded(msg.body()).onComplete(
        ok -> msg.reply(null),
        e -> msg.fail(Addresses.FAILURE_SOCKET_GONE, "delivery to " + session.logId() + " failed: " + e.getMessage()));
  }

  /**
   * A monitoring copy from a bridge of the deployment, for every frontend here except the one named. The reply
   * comes once the copy is queued on every socket: the bridge acknowledges the message to RabbitMQ only then.
   */
  private void onMonitorCopy(Message<JsonObject> msg) {
    MonitorCopy copy = MonitorCopy.fromJson(msg.body());
    flushStatusBatch();
    List<ClientSession> recipients = new ArrayList<>();
    for (ClientSession session : registered.values()) {
      if (session.role() == ClientRole.FRONTEND && !session.clientId().equals(copy.except())) {
        recipients.add(session);
      }
    }
    writeSlices(recipients, 0, new Broadcast(copy.frame(), null, null));
    msg.reply(null);
  }

  /**
   * Status changes are batched until the messages already queued for this event loop have been handled; anything
   * else broadcast sends the batch first, so no frame overtakes another.
   */
  private void onBroadcast(JsonObject body) {
    if (StatusBatch.isStatusChange(body)) {
      batchStatusChange(body);
    } else {
      flushStatusBatch();
      broadcast(body);
    }
  }

  private void batchStatusChange(JsonObject announcement) {
    if (pendingStatus != null && !pendingStatus.accepts(announcement)) {
      flushStatusBatch();
    }
    if (pendingStatus == null) {
      pendingStatus = new StatusBatch();
      context.runOnContext(v -> flushStatusBatch());
    }
    pendingStatus.add(announcement);
  }

  private void flushStatusBatch() {
    if (pendingStatus != null) {
      StatusBatch batch = pendingStatus;
      pendingStatus = null;
      broadcast(batch.toBroadcast());
    }
  }

  private void broadcast(JsonObject body) {
    JsonArray roles = body.getJsonArray("roles");
    String except = body.getString("except");
    Broadcast broadcast = Broadcast.of(body);
    List<ClientSession> recipients = new ArrayList<>();
    for (ClientSession session : registered.values()) {
      if (roles.contains(session.role().connectionType()) && !session.clientId().equals(except)) {
        recipients.add(session);
      }
    }
    writeSlices(recipients, 0, broadcast);
  }

  /**
   * Writes a broadcast BROADCAST_SLICE sockets at a time, yielding the event loop in between: a full status update to
   * twenty thousand frontends is hundreds of megabytes and would otherwise block the loop for seconds. Slices run in
   * order, so every socket still gets broadcasts in the order they were published.
   */
  private void writeSlices(List<ClientSession> recipients, int from, Broadcast broadcast) {
    int to = Math.min(recipients.size(), from + BROADCAST_SLICE);
    for (int i = from; i < to; i++) {
      ClientSession session = recipients.get(i);
      session.sendEncoded(broadcast.textFor(session));
    }
    if (to < recipients.size()) {
      context.runOnContext(v -> writeSlices(recipients, to, broadcast));
    }
  }

  /** Runs for every socket exactly once, however it ends: presence and routing forget it. */
  private Future<Void> onClosed(ClientSession session) {
    if (!session.markClosed()) {
      return Future.succeededFuture();
    }
    sessions.remove(session);
    if (session.clientId() == null) {
      LOG.debug("Socket {} closed before registering", session.logId());
      return Future.succeededFuture();
    }
    registered.remove(session.clientId(), session);
    if (session.options().websocketDelivery()) {
      setAgentQueueDelivery(session, false);
    }
    session.deliveries().unregister();
    failHeldDeliveries(session, "socket closed");
    LOG.info("Disconnected {} {}", session.role().connectionType(), session.logId());
    return vertx.eventBus().request(Addresses.PRESENCE_DISCONNECTED, new JsonObject()
            .put("client_id", session.clientId()).put("role", session.role().connectionType()))
        .recover(e -> {
          LOG.warn("Presence did not acknowledge the disconnect of {}: {}", session.logId(), e.getMessage());
          return Future.succeededFuture();
        })
        .mapEmpty();
  }
}
