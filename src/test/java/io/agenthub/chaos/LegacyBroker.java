package io.agenthub.chaos;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.Delivery;
import io.agenthub.protocol.Queues;
import io.agenthub.protocol.Fields;
import io.agenthub.protocol.MessageType;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The seed broker's routing, which the cluster scenarios need and the reference broker no longer does: every TEXT
 * and REPLY from {@code broker_input_queue} goes to a random agent other than its sender, so a frontend sees the
 * answer to its question only as the monitoring copy of the REPLY on its way to another agent. ERRORs pass unchanged.
 * The agents are given (they stay online on surviving instances throughout), not learnt from the hub. Acks after the
 * publish, like the companions. The benchmark's legacy workload uses it too.
 */
public final class LegacyBroker implements AutoCloseable {
  private static final AMQP.BasicProperties PERSISTENT_JSON =
      new AMQP.BasicProperties.Builder().contentType("application/json").deliveryMode(2).build();

  private final Connection connection;
  private final Channel channel;
  private final List<String> agentIds;

  private LegacyBroker(Connection connection, Channel channel, List<String> agentIds) {
    this.connection = connection;
    this.channel = channel;
    this.agentIds = agentIds;
  }

  public static LegacyBroker start(int rabbitPort, String vhost, List<String> agentIds) throws Exception {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost("127.0.0.1");
    factory.setPort(rabbitPort);
    factory.setVirtualHost(vhost);
    Connection connection = factory.newConnection("agent-hub chaos legacy broker");
    Channel channel = connection.createChannel();
    channel.queueDeclare(Queues.BROKER_INPUT, true, false, false, null);
    channel.queueDeclare(Queues.BROKER_OUTPUT, true, false, false, null);
    channel.basicQos(200);
    LegacyBroker broker = new LegacyBroker(connection, channel, agentIds);
    channel.basicConsume(Queues.BROKER_INPUT, false, (tag, delivery) -> broker.route(delivery), tag -> { });
    return broker;
  }

  private void route(Delivery delivery) throws IOException {
    JsonObject message = new JsonObject(new String(delivery.getBody(), StandardCharsets.UTF_8));
    String type = message.getString(Fields.MESSAGE_TYPE, "");
    if (!MessageType.ERROR.name().equals(type)) {
      String sender = message.getString(Fields.CLIENT_ID, message.getString(Fields.SENDER_ID, ""));
      List<String> others = agentIds.stream().filter(agent -> !agent.equals(sender)).toList();
      // An agent's answer when it is the only agent goes back to it (agents ignore REPLYs), rather than nowhere.
      List<String> candidates = others.isEmpty() ? agentIds : others;
      message.put(Fields.RECEIVER_ID, candidates.get(ThreadLocalRandom.current().nextInt(candidates.size())));
    }
    channel.basicPublish("", Queues.BROKER_OUTPUT, PERSISTENT_JSON, message.toBuffer().getBytes());
    channel.basicAck(delivery.getEnvelope().getDeliveryTag(), false);
  }

  @Override
  public void close() {
    connection.abort();
  }
}
