package io.agenthub.support;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
 */
public final class RabbitVhost implements AutoCloseable {
  private final String name;
  private Connection connection;
  private Channel channel;
  private final Map<String, BlockingQueue<Received>> inboxes = new ConcurrentHashMap<>();

  private RabbitVhost(String name) throws IOException, TimeoutException {
    this.name = name;
    connect();
  }

  /** (Re)opens the test's own connection, e.g. after {@link #closeAllConnections()} closed it too. */
  public void connect() throws IOException, TimeoutException {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost("127.0.0.1");
    factory.setVirtualHost(name);
    connection = factory.newConnection("agent-hub-test");
    channel = connection.createChannel();
    channel.confirmSelect();
    inboxes.clear();
  }

  public static RabbitVhost create(String prefix) throws Exception {
    String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    rabbitmqctl("add_vhost", name);
    rabbitmqctl("set_permissions", "-p", name, "guest", ".*", ".*", ".*");
    return new RabbitVhost(name);
  }

  public String name() {
    return name;
  }

  /** Closes every connection of this vhost from the broker side, as a RabbitMQ restart would. */
  public void closeAllConnections() throws Exception {
    rabbitmqctl("close_all_connections", "--vhost", name, "test: simulated outage");
  }

  public void declare(String queue) throws IOException {
    channel.queueDeclare(queue, true, false, false, null);
  }

  /** Publishes persistently and waits for the broker's confirm. */
  public void publish(String queue, JsonObject message) throws Exception {
    publishRaw(queue, message.encode());
  }

  public void publishRaw(String queue, String body) throws Exception {
    declare(queue);
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
    return inbox(queue).poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
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
    String row = rabbitmqctl("list_queues", "-p", name, "--no-table-headers", "name", "messages_unacknowledged")
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

  public boolean queueExists(String queue) {
    try (Channel probe = connection.createChannel()) {
      probe.queueDeclarePassive(queue);
      return true;
    } catch (IOException | TimeoutException e) {
      return false;
    }
  }

  @Override
  public void close() throws Exception {
    connection.abort();
    rabbitmqctl("delete_vhost", name);
  }

  private static String rabbitmqctl(String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("rabbitmqctl", "-q"));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IllegalStateException("rabbitmqctl " + String.join(" ", args) + " failed: " + output);
    }
    return output;
  }
}
