package io.agenthub.cluster;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.agenthub.protocol.Queues;
import io.agenthub.support.ClusterNodes;
import io.agenthub.support.RabbitVhost;
import io.agenthub.support.TestHub;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Measures what crossing instances adds to a delivery from broker_output_queue to a frontend's WebSocket.
 *
 * <p>Two clustered hubs run in this JVM. Hub A consumes the measured vhost's broker_output_queue; hub B is connected
 * to an idle vhost of its own, so every measured message is consumed and routed by A. Frontend "same" is connected to
 * A, frontend "cross" to B: A writes to "same" directly and reaches "cross" through the clustered event bus. Messages
 * alternate between the two, one at a time (the next is published once the previous arrived), so neither run queues
 * behind the other. Latency runs from just before the publish to RabbitMQ to the frame's arrival at the client.
 *
 * <pre>mvn -q -DskipTests test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=io.agenthub.cluster.CrossInstanceLatency [-Dexec.args="MESSAGES WARMUP"]</pre>
 */
public final class CrossInstanceLatency {
  private static final long TIMEOUT_SECONDS = 10;

  private CrossInstanceLatency() {
  }

  public static void main(String[] args) throws Exception {
    int messages = args.length > 0 ? Integer.parseInt(args[0]) : 5_000;
    int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
    JsonObject settings = new JsonObject().put("MONITOR_ALL_TRAFFIC", false).put("PERIODIC_STATUS_INTERVAL", 3600)
        .put("LOG_LEVEL", "WARN");
    int portA = ClusterNodes.freePort();
    int portB = ClusterNodes.freePort();
    List<Integer> members = List.of(portA, portB);
    try (RabbitVhost measured = RabbitVhost.create("latency");
         RabbitVhost idle = RabbitVhost.create("latency-idle");
         TestHub a = ClusterNodes.startInJvm(measured, portA, members, settings);
         TestHub b = ClusterNodes.startInJvm(idle, portB, members, settings);
         Frontend same = Frontend.register(a.port());
         Frontend cross = Frontend.register(b.port());
         Publisher publisher = new Publisher(measured.name())) {
      Histogram sameLatency = new Histogram(TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS), 3);
      Histogram crossLatency = new Histogram(TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS), 3);
      for (int i = 0; i < warmup + messages; i++) {
        boolean measuring = i >= warmup;
        long sameNanos = publisher.roundTrip(same, i);
        long crossNanos = publisher.roundTrip(cross, i);
        if (measuring) {
          sameLatency.recordValue(sameNanos);
          crossLatency.recordValue(crossNanos);
        }
      }
      System.out.printf("%d messages per path after %d warm-up, %d cores%n", messages, warmup,
          Runtime.getRuntime().availableProcessors());
      System.out.println("path            p50 ms   p90 ms   p99 ms   max ms");
      print("same instance", sameLatency);
      print("cross instance", crossLatency);
      System.out.printf("extra for crossing: p50 %+.3f ms, p99 %+.3f ms%n",
          millis(crossLatency.getValueAtPercentile(50) - sameLatency.getValueAtPercentile(50)),
          millis(crossLatency.getValueAtPercentile(99) - sameLatency.getValueAtPercentile(99)));
    }
  }

  private static void print(String path, Histogram histogram) {
    System.out.printf("%-14s %8.3f %8.3f %8.3f %8.3f%n", path, millis(histogram.getValueAtPercentile(50)),
        millis(histogram.getValueAtPercentile(90)), millis(histogram.getValueAtPercentile(99)),
        millis(histogram.getMaxValue()));
  }

  private static double millis(long nanos) {
    return nanos / 1_000_000.0;
  }

  /** Publishes to broker_output_queue as a broker does: persistent, JSON, on the default exchange. */
  private static final class Publisher implements AutoCloseable {
    private static final AMQP.BasicProperties PERSISTENT = new AMQP.BasicProperties.Builder()
        .contentType("application/json").deliveryMode(2).build();
    private final Connection connection;
    private final Channel channel;

    Publisher(String vhost) throws Exception {
      ConnectionFactory factory = new ConnectionFactory();
      factory.setHost("127.0.0.1");
      factory.setVirtualHost(vhost);
      connection = factory.newConnection("agent-hub-latency");
      channel = connection.createChannel();
      channel.queueDeclare(Queues.BROKER_OUTPUT, true, false, false, null);
    }

    /** Publishes one message to the frontend and returns the nanoseconds until it arrived there. */
    long roundTrip(Frontend frontend, int sequence) throws Exception {
      JsonObject message = new JsonObject().put("message_type", "REPLY").put("message_id", "latency-" + sequence)
          .put("sender_id", "agent_0000abcd").put("receiver_id", frontend.id).put("text_payload", "ping " + sequence)
          .put("send_timestamp", "2025-04-08T10:00:00");
      long sentAt = System.nanoTime();
      channel.basicPublish("", Queues.BROKER_OUTPUT, PERSISTENT, message.encode().getBytes(StandardCharsets.UTF_8));
      Long arrivedAt = frontend.arrivals.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      if (arrivedAt == null) {
        throw new IllegalStateException("message " + sequence + " did not reach " + frontend.id);
      }
      return arrivedAt - sentAt;
    }

    @Override
    public void close() throws Exception {
      connection.close();
    }
  }

  /** A frontend that notes the arrival time of each chat frame on the WebSocket's own thread. */
  private static final class Frontend implements WebSocket.Listener, AutoCloseable {
    private final BlockingQueue<Long> arrivals = new LinkedBlockingQueue<>();
    private final BlockingQueue<JsonObject> registration = new LinkedBlockingQueue<>();
    private final StringBuilder partial = new StringBuilder();
    private WebSocket socket;
    private String id;

    static Frontend register(int port) throws Exception {
      Frontend frontend = new Frontend();
      frontend.socket = HttpClient.newHttpClient().newWebSocketBuilder()
          .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws"), frontend).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      frontend.socket.sendText(new JsonObject().put("message_type", "REGISTER_FRONTEND")
          .put("frontend_name", "Latency").encode(), true).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      JsonObject response = frontend.registration.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      if (response == null || !"success".equals(response.getString("status"))) {
        throw new IllegalStateException("registration answered with " + response);
      }
      frontend.id = response.getString("frontend_id");
      return frontend;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      long now = System.nanoTime();
      partial.append(data);
      if (last) {
        JsonObject frame = new JsonObject(partial.toString());
        partial.setLength(0);
        String type = frame.getString("message_type");
        if ("REPLY".equals(type)) {
          arrivals.add(now);
        } else if ("REGISTER_FRONTEND_RESPONSE".equals(type)) {
          registration.add(frame);
        }
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public void close() {
      socket.abort();
    }
  }
}
