package io.agenthub.bridge;

import io.agenthub.clock.HubClock;
import io.agenthub.protocol.Queues;
import io.agenthub.metrics.HubMetrics;
import io.agenthub.bus.Addresses;
import io.agenthub.bus.AwayQuery;
import io.agenthub.bus.AwayStatus;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Protocol extension "session resume": messages for a frontend or broker that went away wait in its durable queue
 * {@code hub_resume_<client_id>}, each with a time-to-live of what is left of its window, after which RabbitMQ
 * dead-letters it to {@code hub_undeliverable} with its reason. When the client resumes, the instance now holding
 * its socket writes them to it, oldest first, each acknowledged after the write. Runs on the bridge's context.
 */
final class ResumeQueues {
  private static final Logger LOG = LoggerFactory.getLogger(ResumeQueues.class);

  /**
   * A resume queue is deleted by RabbitMQ after this long unused (no consumer, no basic.get, not redeclared): longer
   * than the largest CLIENT_RESUME_WINDOW, so every message in it has expired to hub_undeliverable before. Fixed,
   * because a queue redeclared with other arguments is refused.
   */
  private static final int RESUME_QUEUE_EXPIRES_MS = (3_600 + 600) * 1_000;

  /** Expired messages are dead-lettered to hub_undeliverable, keeping the headers they were parked with. */
  private static Map<String, Object> resumeQueueArguments() {
    return Map.of("x-expires", RESUME_QUEUE_EXPIRES_MS,
        "x-dead-letter-exchange", "",
        "x-dead-letter-routing-key", Queues.UNDELIVERABLE);
  }

  private final Vertx vertx;
  private final MeterRegistry metrics;
  private final Supplier<BridgeSettings> settings;
  private final Supplier<AmqpLink> currentLink;
  private final HubClock clock;

  ResumeQueues(Vertx vertx, MeterRegistry metrics, Supplier<BridgeSettings> settings, Supplier<AmqpLink> currentLink,
      HubClock clock) {
    this.vertx = vertx;
    this.metrics = metrics;
    this.settings = settings;
    this.currentLink = currentLink;
    this.clock = clock;
  }

  /**
   * Parks a frame for a client that is not connected, when presence says it is away; fails with {@code notConnected}
   * when it is not (or no longer can be) resumed, so the caller dead-letters it as before.
   */
  Future<Void> parkIfAway(String clientId, String encodedFrame, String key, RuntimeException notConnected) {
    return vertx.eventBus().<JsonObject>request(Addresses.PRESENCE_AWAY, new AwayQuery(clientId).toJson())
        .compose(reply -> {
          AwayStatus status = AwayStatus.fromJson(reply.body());
          long ttlMs = status.away() ? status.until() - clock.epochMillis() : 0;
          return ttlMs > 0 ? park(clientId, encodedFrame, key, ttlMs) : Future.failedFuture(notConnected);
        });
  }

  /**
   * The frame's {@link DeliveryKey} (nullable) travels in header {@value Queues#DELIVERY_KEY_HEADER} and back to the
   * gateway with the frame when drained, so the same message parked twice (by an instance that died before its ack,
   * then by the one it was redelivered to) reaches the resumed socket once.
   */
  private Future<Void> park(String clientId, String encodedFrame, String key, long ttlMs) {
    AmqpLink link = currentLink.get();
    if (link == null || !link.isOpen()) {
      return Future.failedFuture("RabbitMQ connection lost before parking a message for " + clientId);
    }
    Map<String, Object> headers = new HashMap<>(Map.of(Queues.REASON_HEADER, Queues.NOT_RESUMED_REASON,
        Queues.RECEIVER_HEADER, clientId));
    if (key != null) {
      headers.put(Queues.DELIVERY_KEY_HEADER, key);
    }
    return link.publishExpiring(Queues.resumeQueue(clientId), resumeQueueArguments(),
            encodedFrame.getBytes(StandardCharsets.UTF_8), headers, ttlMs)
        .onSuccess(v -> {
          HubMetrics.parked(metrics);
          LOG.debug("Message for away client {} parked in {} for {} ms", clientId, Queues.resumeQueue(clientId), ttlMs);
        });
  }

  /**
   * Writes what waits for a client that resumed to its socket, oldest first, until the queue is empty; completes
   * with how many were written. A write that fails puts its message back at the head of the queue and ends the drain.
   */
  Future<Integer> drain(String clientId) {
    AmqpLink link = currentLink.get();
    if (link == null || !link.isOpen()) {
      return Future.failedFuture("RabbitMQ is not connected");
    }
    QueueReader reader;
    try {
      reader = link.reader(Queues.resumeQueue(clientId));
    } catch (IOException | ShutdownSignalException e) {
      // A connection closing as the drain starts throws AlreadyClosedException, unchecked: the client is told the
      // backlog is not delivered yet (it stays in the queue), rather than waiting for a reply that never comes.
      return Future.failedFuture(e);
    }
    return drainFrom(reader, clientId, 0).andThen(done -> reader.close());
  }

  private Future<Integer> drainFrom(QueueReader reader, String clientId, int written) {
    QueueReader.Fetched parked;
    try {
      parked = reader.next();
    } catch (IOException | ShutdownSignalException e) {
      return Future.failedFuture(e);
    }
    if (parked == null) {
      return Future.succeededFuture(written);
    }
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(settings.get().deliveryTimeout().toMillis())
        .addHeader(Addresses.PARKED_HEADER, "true");
    Object key = parked.headers().get(Queues.DELIVERY_KEY_HEADER);
    if (key != null) {
      options.addHeader(Addresses.DELIVERY_KEY_HEADER, key.toString());
    }
    String frame = new String(parked.body(), StandardCharsets.UTF_8);
    return vertx.eventBus().request(Addresses.client(clientId), frame, options)
        .transform(delivered -> {
          try {
            if (delivered.failed()) {
              reader.putBack(parked.tag());
              return Future.failedFuture(delivered.cause());
            }
            reader.ack(parked.tag());
          } catch (IOException | ShutdownSignalException e) {
            return Future.failedFuture(e);
          }
          HubMetrics.routed(metrics, "resumed");
          return drainFrom(reader, clientId, written + 1);
        });
  }
}
