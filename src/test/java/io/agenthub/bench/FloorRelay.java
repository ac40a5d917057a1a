package io.agenthub.bench;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import io.agenthub.protocol.Queues;
import io.agenthub.protocol.ClientRole;
import io.agenthub.protocol.Fields;
import io.agenthub.protocol.MessageType;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The hub's AMQP work and nothing else, for the amqp-floor: with the hub's client (the RabbitMQ Java client), one
 * connection with a confirm-mode publishing channel and a consuming channel with the hub's prefetch, it publishes what
 * frontends send to broker_input_queue, and routes what it consumes from broker_output_queue to an agent's queue
 * (acknowledged once confirmed) or straight to the frontend named by receiver_id (acknowledged once handed over).
 * With {@code repliesToAskers} (the legacy workload, whose broker sends every REPLY to another agent) a REPLY routed
 * to an agent is also handed to the frontend that asked, found from in_reply_to_message_id: only the asker gets it,
 * where the hub sends a monitoring copy to every frontend.
 */
final class FloorRelay implements AutoCloseable {
  private static final AMQP.BasicProperties PERSISTENT_JSON = new AMQP.BasicProperties.Builder()
      .contentType("application/json").deliveryMode(2).build();

  private final Connection connection;
  private final Channel publishChannel;
  private final Channel consumeChannel;
  private final boolean confirms;
  private final boolean repliesToAskers;
  private final ConcurrentNavigableMap<Long, Runnable> unconfirmed = new ConcurrentSkipListMap<>();
  private final Map<String, Consumer<JsonObject>> frontends = new ConcurrentHashMap<>();
  private final AtomicLong failures = new AtomicLong();

  FloorRelay(String vhost, int prefetch, boolean confirms, boolean repliesToAskers)
      throws IOException, TimeoutException {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost("127.0.0.1");
    factory.setVirtualHost(vhost);
    factory.setAutomaticRecoveryEnabled(false);
    this.connection = factory.newConnection("agent-hub floor relay");
    this.confirms = confirms;
    this.repliesToAskers = repliesToAskers;
    this.publishChannel = connection.createChannel();
    this.consumeChannel = connection.createChannel();
    if (confirms) {
      publishChannel.confirmSelect();
      publishChannel.addConfirmListener((tag, multiple) -> settle(tag, multiple), (tag, multiple) -> {
        failures.incrementAndGet();
        settle(tag, multiple);
      });
    }
    for (String queue : new String[] {Queues.BROKER_INPUT, Queues.BROKER_OUTPUT}) {
      publishChannel.queueDeclare(queue, true, false, false, null);
    }
    consumeChannel.basicQos(prefetch);
    consumeChannel.basicConsume(Queues.BROKER_OUTPUT, false, new DefaultConsumer(consumeChannel) {
      @Override
      public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
        route(envelope.getDeliveryTag(), new JsonObject(Buffer.buffer(body)));
      }
    });
  }

  void declareAgentQueue(String agentId) throws IOException {
    publishChannel.queueDeclare(Queues.agentQueue(agentId), true, false, false, null);
  }

  /** A frontend's inbox: called, on a RabbitMQ client thread, with every message routed to it. */
  void register(String frontendId, Consumer<JsonObject> inbox) {
    frontends.put(frontendId, inbox);
  }

  /** What the hub does with a frontend's chat message once stamped: publish it to broker_input_queue. */
  void publishFromFrontend(JsonObject stamped) {
    publish(Queues.BROKER_INPUT, stamped, () -> { });
  }

  long failures() {
    return failures.get();
  }

  private void route(long tag, JsonObject message) {
    String receiver = message.getString(Fields.RECEIVER_ID, "");
    if (ClientRole.ofId(receiver).orElse(null) == ClientRole.AGENT) {
      publish(Queues.agentQueue(receiver), message, () -> ack(tag));
      if (repliesToAskers && MessageType.REPLY.name().equals(message.getString(Fields.MESSAGE_TYPE))) {
        handTo(asker(message.getString(Fields.IN_REPLY_TO_MESSAGE_ID, "")), message);
      }
      return;
    }
    handTo(receiver, message);
    ack(tag);
  }

  /** The closed-loop frontends number their messages {@code <frontend id>-<n>}. */
  private static String asker(String inReplyTo) {
    int dash = inReplyTo.lastIndexOf('-');
    return dash < 0 ? inReplyTo : inReplyTo.substring(0, dash);
  }

  private void handTo(String frontendId, JsonObject message) {
    Consumer<JsonObject> frontend = frontends.get(frontendId);
    if (frontend == null) {
      failures.incrementAndGet();
    } else {
      frontend.accept(message);
    }
  }

  private void publish(String queue, JsonObject message, Runnable onConfirmed) {
    byte[] body = message.toBuffer().getBytes();
    try {
      synchronized (publishChannel) {
        if (confirms) {
          unconfirmed.put(publishChannel.getNextPublishSeqNo(), onConfirmed);
        }
        publishChannel.basicPublish("", queue, PERSISTENT_JSON, body);
      }
      if (!confirms) {
        onConfirmed.run();
      }
    } catch (IOException e) {
      failures.incrementAndGet();
    }
  }

  private void settle(long tag, boolean multiple) {
    Map<Long, Runnable> settled = multiple ? unconfirmed.headMap(tag, true) : unconfirmed.subMap(tag, true, tag, true);
    settled.values().forEach(Runnable::run);
    settled.clear();
  }

  private void ack(long tag) {
    try {
      synchronized (consumeChannel) {
        consumeChannel.basicAck(tag, false);
      }
    } catch (IOException e) {
      failures.incrementAndGet();
    }
  }

  @Override
  public void close() throws IOException {
    connection.close(5_000);
  }
}
