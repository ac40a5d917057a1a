package io.agenthub.gateway;

import io.agenthub.clock.HubClock;
import io.agenthub.metrics.HubMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.handler.codec.compression.DecompressionException;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An accepted WebSocket from its first frame to its close: the session, the transport rules (frame decoding, size,
 * registration timeout) and, at shutdown, the close of every socket with 1001.
 */
final class Sockets {
  private static final Logger LOG = LoggerFactory.getLogger(Sockets.class);
  private static final short CLOSE_GOING_AWAY = 1001;
  private static final short CLOSE_REGISTRATION_TIMEOUT = 1008;
  private static final AtomicLong CONNECTION_COUNTER = new AtomicLong();

  private final Vertx vertx;
  private final Supplier<GatewaySettings> settings;
  private final HubClock clock;
  private final MeterRegistry metrics;
  private final ClientRegistry clients;
  private final InboundDispatch inbound;
  private final Registrations registrations;
  private final ConnectionLimits limits;

  Sockets(Vertx vertx, Supplier<GatewaySettings> settings, HubClock clock, MeterRegistry metrics,
      ClientRegistry clients, InboundDispatch inbound, Registrations registrations, ConnectionLimits limits) {
    this.vertx = vertx;
    this.settings = settings;
    this.clock = clock;
    this.metrics = metrics;
    this.clients = clients;
    this.inbound = inbound;
    this.registrations = registrations;
    this.limits = limits;
  }

  /** An upgrade that succeeded; {@code address}, its client's, holds one of that address's connection slots. */
  void open(ServerWebSocket socket, String address) {
    if (socket.isClosed()) {
      limits.closed(address);
      return;
    }
    GatewaySettings current = settings.get();
    String connectionId = "conn-" + CONNECTION_COUNTER.incrementAndGet();
    ClientSession session = new ClientSession(new VertxClientSocket(socket, address), connectionId,
        new TokenBucket(current.clientRateBurst(), clock.nanoTime()), () -> settings.get().clientMaxUnreadChars());
    clients.opened(session);
    LOG.debug("Socket {} opened from {}", connectionId, address);
    MessageAssembler messages = new MessageAssembler(GatewayVerticle.TRANSPORT_FRAME_LIMIT,
        text -> inbound.onText(session, text), () -> inbound.onBinary(session),
        (status, reason) -> closeForTransportRule(session, status, reason));
    socket.frameHandler(messages::accept);
    socket.exceptionHandler(e -> onSocketFailure(session, e));
    socket.closeHandler(v -> {
      limits.closed(address);
      registrations.onClosed(session);
    });
    long timeout = vertx.setTimer(Math.max(1, current.registrationTimeout().toMillis()),
        t -> closeIfUnregistered(session));
    session.registrationTimeout(() -> vertx.cancelTimer(timeout));
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
   * {@link GatewayVerticle#TRANSPORT_FRAME_LIMIT}; a compressed frame that inflates beyond it gets 1009 as well.
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

  /** Graceful shutdown: every socket is closed with 1001, and presence hears of each. */
  Future<?> closeAll() {
    List<Future<?>> closing = new ArrayList<>();
    for (ClientSession session : clients.sockets()) {
      closing.add(session.socket().close(CLOSE_GOING_AWAY, "Server shutdown").recover(e -> Future.succeededFuture())
          .compose(v -> registrations.onClosed(session)));
    }
    LOG.info("Gateway closing {} sockets for shutdown", closing.size());
    return Future.join(closing);
  }
}
