package io.agenthub.bridge;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.AlreadyClosedException;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.ShutdownListener;
import com.rabbitmq.client.ShutdownSignalException;
import io.agenthub.clock.HubClock;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.io.IOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * One AMQP connection of the bridge, with a confirm-mode channel for publishing (its confirms kept by
 * {@link PendingConfirms}) and a channel for consuming ({@link LinkConsumer}). Its methods block on network I/O, so
 * they run only on the bridge's worker context; the RabbitMQ client's own threads (confirms, deliveries, shutdown)
 * are brought back onto that context. A link is never repaired: when it breaks, the bridge opens a new one, so a
 * delivery tag or confirm sequence number can never be used on the wrong channel.
 */
final class AmqpLink {

  /** A message consumed from a queue; {@code link} identifies the channel that must acknowledge it. */
  record Delivery(AmqpLink link, long tag, byte[] body, boolean redelivered) {
  }

  /** Told, on the bridge's context, that a link broke without the hub asking. */
  interface LossListener {
    void lost(AmqpLink link, String reason);
  }

  private static final AMQP.BasicProperties PERSISTENT_JSON = new AMQP.BasicProperties.Builder()
      .contentType("application/json").deliveryMode(2).build();

  private final Connection connection;
  private final Channel publishChannel;
  private final String target;
  private final PendingConfirms confirms;
  private final LinkConsumer consumer;
  private final Set<String> declaredQueues = new HashSet<>();
  private boolean open = true;

  private AmqpLink(Context context, Connection connection, String target, HubClock clock, LossListener onLost)
      throws IOException {
    this.connection = connection;
    this.target = target;
    this.confirms = new PendingConfirms(clock);
    this.publishChannel = connection.createChannel();
    Channel consumeChannel = connection.createChannel();
    this.consumer = new LinkConsumer(this, context, consumeChannel);
    publishChannel.confirmSelect();
    publishChannel.addConfirmListener(
        (tag, multiple) -> context.runOnContext(v -> confirms.confirmed(tag, multiple)),
        (tag, multiple) -> context.runOnContext(v -> confirms.nacked(tag, multiple)));
    ShutdownListener shutdown = cause -> context.runOnContext(v -> onShutdown(cause, onLost));
    connection.addShutdownListener(shutdown);
    publishChannel.addShutdownListener(shutdown);
    consumeChannel.addShutdownListener(shutdown);
  }

  /**
   * Connects (blocking). {@code onLost} runs on the context if the connection later breaks without our asking;
   * {@code clock} times the confirms.
   */
  static AmqpLink open(Context context, BridgeSettings.Broker broker, String connectionName, LossListener onLost,
      HubClock clock) throws IOException, TimeoutException {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost(broker.host());
    factory.setPort(broker.port());
    factory.setUsername(broker.user());
    factory.setPassword(broker.password());
    factory.setVirtualHost(broker.vhost());
    factory.setAutomaticRecoveryEnabled(false);
    factory.setConnectionTimeout(5_000);
    factory.setRequestedHeartbeat(20);
    return new AmqpLink(context, factory.newConnection(connectionName), broker.target(), clock, onLost);
  }

  String target() {
    return target;
  }

  boolean isOpen() {
    return open;
  }

  int unconfirmedCount() {
    return confirms.count();
  }

  /** The consuming side: queues consumed, deliveries settled. */
  LinkConsumer consumer() {
    return consumer;
  }

  /** Declares a queue exactly as the contract says: durable, not exclusive, not auto-delete, no arguments. */
  void declare(String queue) throws IOException {
    if (declaredQueues.add(queue)) {
      try {
        publishChannel.queueDeclare(queue, true, false, false, null);
      } catch (IOException e) {
        declaredQueues.remove(queue);
        throw e;
      }
    }
  }

  /** Publishes persistently to a queue on the default exchange; completes when RabbitMQ confirms it. */
  Future<Void> publish(String queue, byte[] body) {
    return publish(queue, body, PERSISTENT_JSON);
  }

  Future<Void> publish(String queue, byte[] body, Map<String, Object> headers) {
    return publish(queue, body, PERSISTENT_JSON.builder().headers(headers).build());
  }

  private Future<Void> publish(String queue, byte[] body, AMQP.BasicProperties properties) {
    if (!open) {
      return Future.failedFuture(PublishFailure.notPublished("RabbitMQ connection to " + target + " is down"));
    }
    try {
      declare(queue);
    } catch (IOException | RuntimeException e) {
      return Future.failedFuture(PublishFailure.notPublished("declaring " + queue + " failed: " + e.getMessage()));
    }
    return publishDeclared(queue, body, properties);
  }

  /**
   * Publishes persistently with a time-to-live to a queue declared with these arguments. The queue is declared
   * before every publish, never remembered: it may have expired since the last one, and a publish to a queue that
   * no longer exists would be dropped.
   */
  Future<Void> publishExpiring(String queue, Map<String, Object> queueArguments, byte[] body,
      Map<String, Object> headers, long ttlMs) {
    if (!open) {
      return Future.failedFuture(PublishFailure.notPublished("RabbitMQ connection to " + target + " is down"));
    }
    try {
      publishChannel.queueDeclare(queue, true, false, false, queueArguments);
    } catch (IOException | RuntimeException e) {
      return Future.failedFuture(PublishFailure.notPublished("declaring " + queue + " failed: " + e.getMessage()));
    }
    return publishDeclared(queue, body,
        PERSISTENT_JSON.builder().headers(headers).expiration(Long.toString(Math.max(1, ttlMs))).build());
  }

  /**
   * Protocol extension "live load": how many messages are ready in each queue that exists ({@link QueueDepthProbe}).
   * Blocking, on channels of its own: safe to call from a worker thread while the bridge goes on.
   */
  Map<String, Integer> readyCounts(List<String> queues) throws IOException {
    return QueueDepthProbe.readyCounts(connection::createChannel, queues);
  }

  /** A reader of one queue, on a channel of its own: a queue that does not exist closes only that channel. */
  QueueReader reader(String queue) throws IOException {
    return new QueueReader(connection.createChannel(), queue);
  }

  private Future<Void> publishDeclared(String queue, byte[] body, AMQP.BasicProperties properties) {
    long sequence = publishChannel.getNextPublishSeqNo();
    Future<Void> confirmed = confirms.track(sequence);
    try {
      publishChannel.basicPublish("", queue, properties, body);
    } catch (AlreadyClosedException e) {
      confirms.failed(sequence, PublishFailure.notPublished("channel closed before publishing: " + e.getMessage()));
    } catch (IOException | RuntimeException e) {
      // The frame may have been partly or wholly written before the failure: RabbitMQ may hold the message.
      confirms.failed(sequence, PublishFailure.outcomeUnknown("publish interrupted: " + e.getMessage()));
    }
    return confirmed;
  }

  /** Fails the publishes whose confirm is older than {@code timeout}: RabbitMQ may still take them. */
  void expireConfirms(Duration timeout) {
    confirms.expire(timeout);
  }

  /** Closes the connection (blocking, bounded); unacknowledged deliveries go back to their queues. */
  void close() {
    open = false;
    confirms.failAll("connection closed by the hub before the confirm arrived");
    if (connection.isOpen()) {
      try {
        connection.close(2_000);
      } catch (IOException | RuntimeException e) {
        connection.abort(1_000);
      }
    }
  }

  private void onShutdown(ShutdownSignalException cause, LossListener onLost) {
    if (!open) {
      return;
    }
    open = false;
    String reason = cause.getMessage();
    confirms.failAll("connection lost: " + reason);
    if (!cause.isInitiatedByApplication()) {
      onLost.lost(this, reason);
    }
  }
}
