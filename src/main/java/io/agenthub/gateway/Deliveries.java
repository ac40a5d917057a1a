package io.agenthub.gateway;

import io.agenthub.bus.Addresses;
import io.agenthub.bus.DrainReply;
import io.agenthub.bus.DrainRequest;
import io.agenthub.bus.Failures;
import io.agenthub.metrics.HubMetrics;
import io.agenthub.protocol.ClientRole;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What is addressed to one registered client: the frames other verticles send to its address
 * ({@code Addresses.client}), a resumed session's backlog, which the bridge drains while live frames are held back,
 * and the hub's answers to its chat messages, which follow a sender whose socket closed ({@link UnsentAnswers}).
 * Touched only on the gateway's context.
 */
final class Deliveries {
  private static final Logger LOG = LoggerFactory.getLogger(Deliveries.class);
  /** How long the bridge may take to write a resumed session's whole backlog before the gateway stops waiting. */
  private static final long BACKLOG_TIMEOUT_MS = 600_000;

  private final Vertx vertx;
  private final EventBus bus;
  private final Supplier<GatewaySettings> settings;
  private final MeterRegistry metrics;
  private final UnsentAnswers unsentAnswers;
  /** The delivery address of every registered client of this instance. */
  private final Map<ClientSession, MessageConsumer<String>> addresses = new HashMap<>();

  Deliveries(Vertx vertx, Supplier<GatewaySettings> settings, MeterRegistry metrics) {
    this.vertx = vertx;
    this.bus = vertx.eventBus();
    this.settings = settings;
    this.metrics = metrics;
    this.unsentAnswers = new UnsentAnswers(vertx, settings);
  }

  /**
   * Opens the client's address; completes once it is known to the cluster. A resumed session holds back live
   * deliveries from the start, so its backlog cannot be overtaken.
   */
  Future<Void> open(ClientSession session, boolean resumed) {
    if (resumed) {
      session.holdLiveDeliveries();
    }
    MessageConsumer<String> consumer = bus.consumer(Addresses.client(session.clientId()), msg -> deliver(session, msg));
    addresses.put(session, consumer);
    return consumer.completion();
  }

  /**
   * A frame addressed to the client: the reply tells the sender (the bridge) it reached the socket. While a resumed
   * session's backlog is written, live frames wait unanswered, so nothing is lost if this instance dies meanwhile.
   * A frame whose delivery key this socket already got (a redelivery routed again, maybe by another instance) is
   * answered as delivered and not written twice.
   */
  private void deliver(ClientSession session, Message<String> msg) {
    String key = msg.headers().get(Addresses.DELIVERY_KEY_HEADER);
    session.deliver(msg.body(), key, msg.headers().contains(Addresses.PARKED_HEADER)).onComplete(delivered -> {
      if (delivered == ClientSession.Delivered.ALREADY_WRITTEN) {
        HubMetrics.duplicateSuppressed(metrics);
        LOG.debug("Frame with delivery key {} already written to {}; acknowledged without writing it again", key,
            session.logId());
      }
      msg.reply(null);
    }, e -> msg.fail(Failures.SOCKET_GONE, e.getMessage()));
  }

  /** Protocol extension "session resume": what waited here for a client that just resumed, oldest first. */
  void writeUnsentAnswers(ClientSession session) {
    unsentAnswers.takeFor(session.clientId()).forEach(session::sendEncoded);
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
   * Protocol extension "session resume": what was addressed to the client while it was away is written first, then
   * the live deliveries held meanwhile, in arrival order. Held deliveries are not kept past half of
   * DELIVERY_TIMEOUT_MS, so their senders are never timed out: a backlog that takes longer is overtaken from then on.
   */
  void drainBacklog(ClientSession session) {
    long holdLimitMs = Math.max(1, settings.get().deliveryTimeout().toMillis() / 2);
    long holdTimer = vertx.setTimer(holdLimitMs, expired -> {
      LOG.warn("Backlog of {} still being delivered after {} ms; live messages are no longer held back",
          session.logId(), holdLimitMs);
      session.releaseHeldDeliveries();
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
          session.releaseHeldDeliveries();
        });
  }

  /**
   * The client's address closes. Deliveries it held fail, so their senders keep them for the client's next resume.
   * Nothing happens for a session whose address was never opened.
   */
  void close(ClientSession session, String why) {
    MessageConsumer<String> consumer = addresses.remove(session);
    if (consumer != null) {
      consumer.unregister();
      session.dropHeldDeliveries(why);
    }
  }
}
