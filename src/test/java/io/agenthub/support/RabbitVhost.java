package io.agenthub.support;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A RabbitMQ virtual host of its own for one test class, on the real broker at 127.0.0.1:5672: tests never see each
 * other's queues, and whatever a test leaves behind disappears with the vhost. Also a plain AMQP client (the
 * RabbitMQ Java client) for the test to act as broker or agent and to inspect queues.
 *
 * <p>Messages are checked against docs/asyncapi.yaml ({@link ProtocolSpec}): what a test takes from a queue the hub
 * publishes to against what the hub may publish there (body, headers, content type, delivery mode), unless the test
 * published to that queue itself, and what it publishes with {@link #publish} against what the queue may carry. {@link
 * #publishRaw} is unchecked, for bad input.
 *
 * <p>Vhosts are made and inspected with rabbitmqctl, run as this user may run it ({@link RabbitCtl}).
 *
 * <p>{@link #onEmbeddedBroker} is the same client for a hub that embeds its own broker (Qpid Broker-J) on a free
 * port: it asks for the virtual host {@code /} as the old clients do, and has no rabbitmqctl, so
 * {@link #closeAllConnections()} and {@link #unacknowledged} are refused there.
 */
public final class RabbitVhost implements AutoCloseable {
  private static final int RABBITMQ_PORT = 5672;

  private final String name;
  private final int port;
  private final boolean embedded;
  private Connection connection;
  private Channel channel;
  private final Map<String, BlockingQueue<Received>> inboxes = new ConcurrentHashMap<>();
  /** Queues this client published to: what it takes from them may be its own messages, not the hub's. */
  private final Set<String> publishedTo = ConcurrentHashMap.newKeySet();

  private RabbitVhost(String name, int port, boolean embedded) {
    this.name = name;
    this.port = port;
    this.embedded = embedded;
  }

  /** (Re)opens the test's own connection, e.g. after {@link #closeAllConnections()} closed it too. */
  public void connect() throws IOException, TimeoutException {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost("127.0.0.1");
    factory.setPort(port);
    factory.setVirtualHost(name);
    connection = factory.newConnection("agent-hub-test");
    channel = connection.createChannel();
    channel.confirmSelect();
    inboxes.clear();
  }

  public static RabbitVhost create(String prefix) throws Exception {
    String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    RabbitCtl.run("add_vhost", name);
    RabbitCtl.run("set_permissions", "-p", name, "guest", ".*", ".*", ".*");
    RabbitVhost vhost = new RabbitVhost(name, RABBITMQ_PORT, false);
    vhost.connect();
    return vhost;
  }

  /**
   * The client for the broker a hub will embed on {@code port}; not connected until {@link #connect()}, since the
   * broker starts with the hub.
   */
  public static RabbitVhost onEmbeddedBroker(int port) {
    return new RabbitVhost("/", port, true);
  }

  public String name() {
    return name;
  }

  public int port() {
    return port;
  }

  /** Whether this is the broker the hub embeds (the hub reports it as {@code "embedded"}). */
  public boolean isEmbedded() {
    return embedded;
  }

  /**
   * The settings that point a hub at this vhost, as an external broker; the hub that embeds the broker on
   * {@link #port()} sets RABBITMQ_MODE=embedded over them.
   */
  public JsonObject hubSettings() {
    return new JsonObject().put("RABBITMQ_HOST", "127.0.0.1").put("RABBITMQ_PORT", port).put("RABBITMQ_VHOST", name)
        .put("RABBITMQ_MODE", "external");
  }

  /** Closes every connection of this vhost from the broker side, as a RabbitMQ restart would. */
  public void closeAllConnections() throws Exception {
    requireRabbitMq("closeAllConnections");
    RabbitCtl.run("close_all_connections", "--vhost", name, "test: simulated outage");
  }

  public void declare(String queue) throws IOException {
    channel.queueDeclare(queue, true, false, false, null);
  }

  /** Publishes persistently and waits for the broker's confirm; fails the test if the spec does not allow it there. */
  public void publish(String queue, JsonObject message) throws Exception {
    ProtocolSpec.get().checkQueueMessage(queue, ProtocolSpec.Publisher.ANYONE, message.encode(), null,
        "application/json", 2);
    publishRaw(queue, message.encode());
  }

  /** Publishes any body, unchecked. */
  public void publishRaw(String queue, String body) throws Exception {
    declare(queue);
    publishedTo.add(queue);
    AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder()
        .contentType("application/json").deliveryMode(2).build();
    channel.basicPublish("", queue, properties, body.getBytes(StandardCharsets.UTF_8));
    channel.waitForConfirmsOrDie(5_000);
  }

  /** A message consumed from a queue of this vhost. */
  public record Received(String body, AMQP.BasicProperties properties) {
    public JsonObject json() {
      return new JsonObject(body);
    }
  }

  /**
   * The next message of a queue, waiting up to {@code timeout}; null if none arrived. The first call for a queue
   * starts consuming it (auto-ack), so from then on the test owns that queue's messages.
   */
  public Received take(String queue, Duration timeout) throws Exception {
    Received received = inbox(queue).poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (received != null) {
      ProtocolSpec spec = ProtocolSpec.get();
      ProtocolSpec.Publisher publisher = spec.hubPublishesTo(queue) && !publishedTo.contains(queue)
          ? ProtocolSpec.Publisher.HUB : ProtocolSpec.Publisher.ANYONE;
      spec.checkQueueMessage(queue, publisher, received.body(), received.properties().getHeaders(),
          received.properties().getContentType(), received.properties().getDeliveryMode());
    }
    return received;
  }

  public JsonObject takeJson(String queue, Duration timeout) throws Exception {
    Received received = take(queue, timeout);
    return received == null ? null : received.json();
  }

  private BlockingQueue<Received> inbox(String queue) throws IOException {
    BlockingQueue<Received> inbox = inboxes.get(queue);
    if (inbox == null) {
      declare(queue);
      BlockingQueue<Received> fresh = new LinkedBlockingQueue<>();
      Channel consumer = connection.createChannel();
      consumer.basicConsume(queue, true, (tag, delivery) -> fresh.add(new Received(
          new String(delivery.getBody(), StandardCharsets.UTF_8), delivery.getProperties())),
          tag -> { });
      inboxes.put(queue, fresh);
      inbox = fresh;
    }
    return inbox;
  }

  public long messageCount(String queue) throws IOException {
    declare(queue);
    return channel.messageCount(queue);
  }

  public long consumerCount(String queue) throws IOException {
    declare(queue);
    return channel.consumerCount(queue);
  }

  /**
   * Messages of a queue handed to a consumer and not yet acknowledged, as the broker counts them right now (the
   * AMQP client cannot see other connections' deliveries).
   */
  public long unacknowledged(String queue) throws Exception {
    requireRabbitMq("unacknowledged");
    String row = RabbitCtl.run("list_queues", "-p", name, "--no-table-headers", "name", "messages_unacknowledged")
        .lines().filter(line -> line.startsWith(queue + "\t")).findFirst().orElse(queue + "\t0");
    return Long.parseLong(row.substring(queue.length() + 1).trim());
  }

  /**
   * Messages ready in a queue the hub declared with arguments of its own (a resume queue), read without declaring it
   * (a declaration with other arguments would be refused); -1 when the queue does not exist.
   */
  public long readyIn(String queue) throws IOException, TimeoutException {
    try (Channel probe = connection.createChannel()) {
      return probe.queueDeclarePassive(queue).getMessageCount();
    } catch (IOException notFound) {
      return -1;
    }
  }

  @Override
  public void close() throws Exception {
    if (connection != null) {
      connection.abort();
    }
    if (!embedded) {
      RabbitCtl.run("delete_vhost", name);
    }
  }

  private void requireRabbitMq(String what) {
    if (embedded) {
      throw new UnsupportedOperationException(what + " needs rabbitmqctl, which the embedded broker does not have");
    }
  }
}
