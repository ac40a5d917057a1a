package io.agenthub.companion;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BasicProperties;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.rabbitmq.QueueOptions;
import io.vertx.rabbitmq.RabbitMQClient;
import io.vertx.rabbitmq.RabbitMQConsumer;
import io.vertx.rabbitmq.RabbitMQMessage;
import io.vertx.rabbitmq.RabbitMQOptions;
import java.util.ArrayList;
import java.util.List;

/**
 * A companion's AMQP side: queues declared exactly as the contract says (durable, no arguments), persistent JSON
 * messages, manual acks. Companions are ordinary clients, so they use the Vert.x RabbitMQ client with its own
 * reconnection.
 */
final class CompanionAmqp {
  /**
   * A delivery to settle: its tag, and the consumer tag it came under. The client re-consumes on a new channel after
   * a reconnect, under a new consumer tag, and RabbitMQ has already returned what the old channel held: settling it
   * then would settle whichever new delivery happens to have the same tag.
   */
  record Receipt(long tag, String consumerTag) {
    static Receipt of(RabbitMQMessage delivery) {
      return new Receipt(delivery.envelope().getDeliveryTag(), delivery.consumerTag());
    }
  }

  private static final BasicProperties PERSISTENT_JSON =
      new AMQP.BasicProperties.Builder().contentType("application/json").deliveryMode(2).build();
  private static final int PREFETCH = 200;

  private final RabbitMQClient client;
  private final List<RabbitMQConsumer> consumers = new ArrayList<>();

  private CompanionAmqp(RabbitMQClient client) {
    this.client = client;
  }

  static Future<CompanionAmqp> connect(Vertx vertx, CompanionSettings settings, String connectionName) {
    RabbitMQOptions options = new RabbitMQOptions()
        .setHost(settings.rabbitHost()).setPort(settings.rabbitPort())
        .setUser(settings.rabbitUser()).setPassword(settings.rabbitPassword())
        .setVirtualHost(settings.rabbitVhost())
        .setConnectionName(connectionName)
        .setReconnectAttempts(Integer.MAX_VALUE).setReconnectInterval(1000);
    RabbitMQClient client = RabbitMQClient.create(vertx, options);
    return client.start().compose(started -> client.basicQos(PREFETCH)).map(qos -> new CompanionAmqp(client));
  }

  Future<Void> declare(String queue) {
    return client.queueDeclare(queue, true, false, false).mapEmpty();
  }

  Future<RabbitMQConsumer> consume(String queue) {
    return declare(queue).compose(declared -> client.basicConsumer(queue, new QueueOptions().setAutoAck(false)))
        .onSuccess(consumers::add);
  }

  Future<Void> publish(String queue, JsonObject message) {
    return publish(queue, message.toBuffer());
  }

  Future<Void> publish(String queue, Buffer body) {
    return client.basicPublish("", queue, PERSISTENT_JSON, body);
  }

  Future<Void> ack(long deliveryTag) {
    return client.basicAck(deliveryTag, false);
  }

  /** Back to the queue: the message was not handled, another consumer (or this one later) gets it. */
  Future<Void> requeue(long deliveryTag) {
    return client.basicNack(deliveryTag, false, true);
  }

  /** Acknowledged, unless its channel is gone (RabbitMQ returned it to its queue then). */
  Future<Void> ack(Receipt receipt) {
    return onCurrentChannel(receipt) ? ack(receipt.tag()) : Future.succeededFuture();
  }

  /** Back to the queue, unless its channel is gone (RabbitMQ returned it already). */
  Future<Void> requeue(Receipt receipt) {
    return onCurrentChannel(receipt) ? requeue(receipt.tag()) : Future.succeededFuture();
  }

  private boolean onCurrentChannel(Receipt receipt) {
    return consumers.stream().anyMatch(consumer -> consumer.consumerTag().equals(receipt.consumerTag()));
  }

  /**
   * Consumers are cancelled first: the client restarts a consumer whose channel shuts down, also when it is itself
   * being stopped (vertx-rabbitmq-client issue 217), which would leave a consumer nobody handles on the queue.
   */
  Future<Void> close() {
    List<Future<Void>> cancelled = consumers.stream().map(RabbitMQConsumer::cancel).toList();
    return Future.join(cancelled).transform(done -> client.stop());
  }
}
