package io.agenthub.bridge;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.AlreadyClosedException;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.ShutdownSignalException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeoutException;

/**
 * One AMQP connection of the bridge, with a confirm-mode channel for publishing and a channel for consuming.
 * Its methods block on network I/O, so they run only on the bridge's worker context; the RabbitMQ client's own
 * threads (confirms, deliveries, shutdown) are brought back onto that context. A link is never repaired: when it
 * breaks, the bridge opens a new one, so a delivery tag or confirm sequence number can never be used on the wrong
 * channel.
 */
final class AmqpLink {

  /** A message taken from a queue with basic.get, on a channel of its {@link QueueReader}. */
  /** A message taken with basic.get; {@code headers} is empty when it has none. */
  record Fetched(long tag, byte[] body, Map<String, Object> headers) {
  }

  /** A message consumed from a queue; {@code link} identifies the channel that must acknowledge it. */
  record Delivery(AmqpLink link, long tag, byte[] body, boolean redelivered) {
  }

  private record PendingConfirm(Promise<Void> promise, long publishedAtNanos) {
  }

  /**
   * Why a publish did not complete. {@code certain} says whether RabbitMQ certainly does not have the message (never
   * sent, or nacked) or may have it (sent, but its confirm was lost with the connection or did not come in time).
   */
  static final class PublishFailure extends RuntimeException {
    private final boolean certain;

    private PublishFailure(String reason, boolean certain) {
      super(reason, null, false, false);
      this.certain = certain;
    }

    static PublishFailure notPublished(String reason) {
      return new PublishFailure(reason, true);
    }

    static PublishFailure outcomeUnknown(String reason) {
      return new PublishFailure(reason, false);
    }

    /** True when the message was certainly not published; false when RabbitMQ may hold it. */
    boolean certainlyNotPublished() {
      return certain;
    }
  }

  private static final AMQP.BasicProperties PERSISTENT_JSON = new AMQP.BasicProperties.Builder()
      .contentType("application/json").deliveryMode(2).build();

  private final Context context;
  private final Connection connection;
  private final Channel publishChannel;
  private final Channel consumeChannel;
  private final String target;
  private final NavigableMap<Long, PendingConfirm> unconfirmed = new TreeMap<>();
  private final Set<String> declaredQueues = new HashSet<>();
  private final Map<String, String> consumerTags = new HashMap<>();
  private boolean open = true;

  private AmqpLink(Context context, Connection connection, String target) throws IOException {
    this.context = context;
    this.connection = connection;
    this.target = target;
    this.publishChannel = connection.createChannel();
    this.consumeChannel = connection.createChannel();
    publishChannel.confirmSelect();
    publishChannel.addConfirmListener(
        (tag, multiple) -> context.runOnContext(v -> settle(tag, multiple, null)),
        (tag, multiple) -> context.runOnContext(v -> settle(tag, multiple,
            PublishFailure.notPublished("nacked by RabbitMQ"))));
  }

  /** Told, on the bridge's context, that a link broke without the hub asking. */
  interface LossListener {
    void lost(AmqpLink link, String reason);
  }

  /** Connects (blocking). {@code onLost} runs on the context if the connection later breaks without our asking. */
  static AmqpLink open(Context context, BridgeSettings.Broker broker, String connectionName, LossListener onLost)
      throws IOException, TimeoutException {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost(broker.host());
    factory.setPort(broker.port());
    factory.setUsername(broker.user());
    factory.setPassword(broker.password());
    factory.setVirtualHost(broker.vhost());
    factory.setAutomaticRecoveryEnabled(false);
    factory.setConnectionTimeout(5_000);
    factory.setRequestedHeartbeat(20);
    Connection connection = factory.newConnection(connectionName);
    AmqpLink link = new AmqpLink(context, connection, broker.target());
    connection.addShutdownListener(cause -> context.runOnContext(v -> link.onShutdown(cause, onLost)));
    link.publishChannel.addShutdownListener(cause -> context.runOnContext(v -> link.onShutdown(cause, onLost)));
    link.consumeChannel.addShutdownListener(cause -> context.runOnContext(v -> link.onShutdown(cause, onLost)));
    return link;
  }

  String target() {
    return target;
  }

  boolean isOpen() {
    return open;
  }

  int unconfirmedCount() {
    return unconfirmed.size();
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
   * A channel of its own for taking the messages of one queue one at a time (basic.get): a queue that does not exist
   * closes only that channel.
   */
  QueueReader reader(String queue) throws IOException {
    return new QueueReader(connection.createChannel(), queue);
  }

  /** Reads one queue oldest first; each message is acknowledged or put back where it was. Blocking, like the link. */
  static final class QueueReader implements AutoCloseable {
    private final Channel channel;
    private final String queue;

    private QueueReader(Channel channel, String queue) {
      this.channel = channel;
      this.queue = queue;
    }

    /** The oldest message, unacknowledged; null when the queue is empty or does not exist. */
    Fetched next() throws IOException {
      if (!channel.isOpen()) {
        return null;
      }
      try {
        GetResponse response = channel.basicGet(queue, false);
        if (response == null) {
          return null;
        }
        Map<String, Object> headers = response.getProps().getHeaders();
        return new Fetched(response.getEnvelope().getDeliveryTag(), response.getBody(),
            headers == null ? Map.of() : headers);
      } catch (IOException e) {
        if (isNotFound(e)) {
          return null;
        }
        throw e;
      }
    }

    void ack(long tag) throws IOException {
      channel.basicAck(tag, false);
    }

    void putBack(long tag) throws IOException {
      channel.basicReject(tag, true);
    }

    private static boolean isNotFound(IOException e) {
      return e.getCause() instanceof ShutdownSignalException signal
          && signal.getReason() instanceof AMQP.Channel.Close close && close.getReplyCode() == AMQP.NOT_FOUND;
    }

    @Override
    public void close() {
      if (channel.isOpen()) {
        try {
          channel.close();
        } catch (IOException | TimeoutException | RuntimeException e) {
          // The connection is going away with the channel; RabbitMQ puts back what was not acknowledged.
        }
      }
    }
  }

  private Future<Void> publishDeclared(String queue, byte[] body, AMQP.BasicProperties properties) {
    Promise<Void> promise = Promise.promise();
    long sequence = publishChannel.getNextPublishSeqNo();
    unconfirmed.put(sequence, new PendingConfirm(promise, System.nanoTime()));
    try {
      publishChannel.basicPublish("", queue, properties, body);
    } catch (AlreadyClosedException e) {
      unconfirmed.remove(sequence);
      promise.tryFail(PublishFailure.notPublished("channel closed before publishing: " + e.getMessage()));
    } catch (IOException | RuntimeException e) {
      // The frame may have been partly or wholly written before the failure: RabbitMQ may hold the message.
      unconfirmed.remove(sequence);
      promise.tryFail(PublishFailure.outcomeUnknown("publish interrupted: " + e.getMessage()));
    }
    return promise.future();
  }

  /**
   * Starts consuming a queue with manual acknowledgement and at most {@code prefetch} unacknowledged deliveries;
   * consuming a queue this link already consumes changes nothing.
   */
  void consume(String queue, int prefetch, Handler<Delivery> handler) throws IOException {
    if (consumerTags.containsKey(queue)) {
      return;
    }
    declare(queue);
    consumeChannel.basicQos(prefetch);
    AmqpLink link = this;
    String tag = consumeChannel.basicConsume(queue, false, new DefaultConsumer(consumeChannel) {
      @Override
      public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
        Delivery delivery = new Delivery(link, envelope.getDeliveryTag(), body, envelope.isRedeliver());
        context.runOnContext(v -> handler.handle(delivery));
      }
    });
    consumerTags.put(queue, tag);
  }

  /** Stops new deliveries from every queue; the ones already received can still be acknowledged. */
  void stopConsuming() throws IOException {
    for (String queue : List.copyOf(consumerTags.keySet())) {
      stopConsuming(queue);
    }
  }

  /** Stops new deliveries from one queue; the ones already received can still be acknowledged. */
  void stopConsuming(String queue) throws IOException {
    String tag = consumerTags.remove(queue);
    if (tag != null && open) {
      consumeChannel.basicCancel(tag);
    }
  }

  void setPrefetch(int prefetch) throws IOException {
    if (open) {
      consumeChannel.basicQos(prefetch);
    }
  }

  /**
   * Acknowledges a delivery of this link. After the link broke, RabbitMQ has already requeued it, so there is
   * nothing to acknowledge and nothing is lost.
   */
  void ack(long tag) throws IOException {
    try {
      if (open) {
        consumeChannel.basicAck(tag, false);
      }
    } catch (AlreadyClosedException brokeMeanwhile) {
      // The channel broke before its shutdown reached this context: RabbitMQ has requeued the delivery already.
    }
  }

  void nack(long tag) throws IOException {
    try {
      if (open) {
        consumeChannel.basicNack(tag, false, true);
      }
    } catch (AlreadyClosedException brokeMeanwhile) {
      // As in ack: the delivery is back in its queue.
    }
  }

  /**
   * Fails publishes whose confirm is older than {@code timeoutNanos}. They were sent, so RabbitMQ may still take
   * them: their senders learn the outcome is unknown, not that they were lost.
   */
  void expireConfirms(long timeoutNanos) {
    long now = System.nanoTime();
    unconfirmed.values().removeIf(pending -> {
      boolean expired = now - pending.publishedAtNanos() > timeoutNanos;
      if (expired) {
        pending.promise().tryFail(PublishFailure.outcomeUnknown("no confirm from RabbitMQ within the timeout"));
      }
      return expired;
    });
  }

  /** Closes the connection (blocking, bounded); unacknowledged deliveries go back to their queues. */
  void close() {
    open = false;
    failUnconfirmed("connection closed by the hub before the confirm arrived");
    if (connection.isOpen()) {
      try {
        connection.close(2_000);
      } catch (IOException | RuntimeException e) {
        connection.abort(1_000);
      }
    }
  }

  private void settle(long tag, boolean multiple, PublishFailure failure) {
    Map<Long, PendingConfirm> settled = multiple ? unconfirmed.headMap(tag, true) : subMapOf(tag);
    settled.values().forEach(pending -> {
      if (failure == null) {
        pending.promise().tryComplete();
      } else {
        pending.promise().tryFail(failure);
      }
    });
    settled.clear();
  }

  private Map<Long, PendingConfirm> subMapOf(long tag) {
    return unconfirmed.subMap(tag, true, tag, true);
  }

  private void onShutdown(ShutdownSignalException cause, LossListener onLost) {
    if (!open) {
      return;
    }
    open = false;
    String reason = cause.getMessage();
    failUnconfirmed("connection lost: " + reason);
    if (!cause.isInitiatedByApplication()) {
      onLost.lost(this, reason);
    }
  }

  /** The messages were sent, but their confirms are lost with the channel: RabbitMQ may or may not have them. */
  private void failUnconfirmed(String reason) {
    PublishFailure failure = PublishFailure.outcomeUnknown(reason);
    unconfirmed.values().forEach(pending -> pending.promise().tryFail(failure));
    unconfirmed.clear();
  }
}
