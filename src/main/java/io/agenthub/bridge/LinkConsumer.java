package io.agenthub.bridge;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.AlreadyClosedException;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The consuming side of an {@link AmqpLink}: its channel for consuming queues with manual acknowledgement, and the
 * settling of what it delivered. Deliveries arrive on the RabbitMQ client's threads and are handed over on the
 * bridge's context. Blocking, like the link.
 */
final class LinkConsumer {
  private final AmqpLink link;
  private final Context context;
  private final Channel channel;
  private final Map<String, String> consumerTags = new HashMap<>();

  LinkConsumer(AmqpLink link, Context context, Channel channel) {
    this.link = link;
    this.context = context;
    this.channel = channel;
  }

  /**
   * Starts consuming a queue with manual acknowledgement and at most {@code prefetch} unacknowledged deliveries;
   * consuming a queue this link already consumes changes nothing.
   */
  void consume(String queue, int prefetch, Handler<AmqpLink.Delivery> handler) throws IOException {
    if (consumerTags.containsKey(queue)) {
      return;
    }
    link.declare(queue);
    channel.basicQos(prefetch);
    String tag = channel.basicConsume(queue, false, new DefaultConsumer(channel) {
      @Override
      public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
        AmqpLink.Delivery delivery = new AmqpLink.Delivery(link, envelope.getDeliveryTag(), body,
            envelope.isRedeliver());
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
    if (tag != null && link.isOpen()) {
      channel.basicCancel(tag);
    }
  }

  void setPrefetch(int prefetch) throws IOException {
    if (link.isOpen()) {
      channel.basicQos(prefetch);
    }
  }

  /**
   * Acknowledges a delivery of this link. After the link broke, RabbitMQ has already requeued it, so there is
   * nothing to acknowledge and nothing is lost.
   */
  void ack(long tag) throws IOException {
    try {
      if (link.isOpen()) {
        channel.basicAck(tag, false);
      }
    } catch (AlreadyClosedException brokeMeanwhile) {
      // The channel broke before its shutdown reached this context: RabbitMQ has requeued the delivery already.
    }
  }

  void nack(long tag) throws IOException {
    try {
      if (link.isOpen()) {
        channel.basicNack(tag, false, true);
      }
    } catch (AlreadyClosedException brokeMeanwhile) {
      // As in ack: the delivery is back in its queue.
    }
  }
}
