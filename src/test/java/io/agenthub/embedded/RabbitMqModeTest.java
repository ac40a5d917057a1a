package io.agenthub.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agenthub.protocol.Queues;
import io.agenthub.support.Await;
import io.agenthub.support.ClusterNodes;
import io.agenthub.support.Http;
import io.agenthub.support.Integration;
import io.agenthub.support.Messages;
import io.agenthub.support.HubProcess;
import io.agenthub.support.RabbitVhost;
import io.agenthub.support.TestHub;
import io.agenthub.support.WsClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rules of RABBITMQ_MODE, each against what really listens (or does not) on a free loopback port. */
@Integration
class RabbitMqModeTest {

  @Test
  void autoServesAnEmbeddedBrokerWhenNothingAnswersOnTheLoopbackPort() throws Exception {
    int amqpPort = ClusterNodes.freePort();
    int port = ClusterNodes.freePort();
    JsonObject settings = new JsonObject().put("HOST", "127.0.0.1").put("PORT", port)
        .put("RABBITMQ_HOST", "localhost").put("RABBITMQ_PORT", amqpPort).put("RABBITMQ_MODE", "auto");
    Path runDir = Files.createDirectories(Path.of("target", "hub-processes", "auto-embeds-" + port));
    try (HubProcess hub = HubProcess.start("auto-embeds", runDir, settings, List.of("-XX:TieredStopAtLevel=1"))) {
      JsonObject rabbitmq = Http.getJson(port, "/health/ready").getJsonObject("rabbitmq");
      assertEquals("embedded", rabbitmq.getString("broker"), rabbitmq.encode());
      assertTrue(Http.get(port, "/metrics").body().lines()
          .anyMatch(line -> line.equals("agenthub_rabbitmq_embedded 1.0")));
      String log = hub.log();
      assertTrue(log.contains("RabbitMQ at localhost:" + amqpPort + "/ (embedded broker, in memory)"), log);
      assertEquals(1,
          log.lines().filter(line -> line.contains("WARN") && line.contains("embedded AMQP broker")).count(), log);

      try (RabbitVhost anyClient = RabbitVhost.onEmbeddedBroker(amqpPort)) {
        anyClient.connect();
        anyClient.publish("agent_queue_agent_0000abcd", Messages.text("through the hub's broker")
            .put("sender_id", "web_0000abcd").put("receiver_id", "agent_0000abcd")
            .put("_client_id", "web_0000abcd").put("_connection_type", "frontend"));
        assertEquals("through the hub's broker",
            anyClient.takeJson("agent_queue_agent_0000abcd", WsClient.TIMEOUT).getString("text_payload"));
        assertEquals(1, anyClient.consumerCount(Queues.BROKER_OUTPUT), "the hub consumes from its own broker");
      }
    }
  }

  @Test
  void autoUsesTheRabbitMqThatAnswers() throws Exception {
    try (RabbitVhost rabbit = RabbitVhost.create("mode-auto");
         TestHub hub = TestHub.start(rabbit, new JsonObject().put("RABBITMQ_MODE", "auto"))) {
      JsonObject rabbitmq = Http.getJson(hub.port(), "/health/ready").getJsonObject("rabbitmq");
      assertTrue(rabbitmq.getBoolean("connected"), rabbitmq.encode());
      assertEquals("external", rabbitmq.getString("broker"));
      assertEquals(1, rabbit.consumerCount(Queues.BROKER_OUTPUT), "the hub consumes from the real RabbitMQ");
    }
  }

  @Test
  void autoNeverEmbedsWhenClustered() throws Exception {
    int amqpPort = ClusterNodes.freePort();
    try (TestHub hub = TestHub.start(new JsonObject().put("RABBITMQ_HOST", "127.0.0.1").put("RABBITMQ_PORT", amqpPort)
        .put("RABBITMQ_MODE", "auto").put("CLUSTER_ENABLED", true))) {
      JsonObject ready = Http.getJson(hub.port(), "/health/ready");
      assertEquals("DOWN", ready.getString("status"), "instances of a cluster wait for their shared RabbitMQ");
      assertEquals("external", ready.getJsonObject("rabbitmq").getString("broker"));
      assertThrows(IOException.class, () -> new Socket(InetAddress.getLoopbackAddress(), amqpPort).close());
    }
  }

  @Test
  void externalWithNothingListeningWaitsForRabbitMqAndConnectsOnceItAnswers() throws Exception {
    int amqpPort = ClusterNodes.freePort();
    try (TestHub hub = TestHub.start(new JsonObject().put("RABBITMQ_HOST", "127.0.0.1").put("RABBITMQ_PORT", amqpPort)
        .put("RABBITMQ_MODE", "external"))) {
      assertEquals(503, Http.get(hub.port(), "/health/ready").statusCode());
      JsonObject rabbitmq = Http.getJson(hub.port(), "/health/ready").getJsonObject("rabbitmq");
      assertFalse(rabbitmq.getBoolean("connected"));
      assertEquals("external", rabbitmq.getString("broker"));
      assertThrows(IOException.class, () -> new Socket(InetAddress.getLoopbackAddress(), amqpPort).close(),
          "nothing was embedded on the port");

      Vertx vertx = Vertx.vertx();
      try {
        EmbeddedBroker arriving = TestHub.await(EmbeddedBroker.start(vertx, amqpPort, "/", "guest", "guest"));
        Await.until("the hub connected to the broker that came up", WsClient.TIMEOUT,
            () -> Http.get(hub.port(), "/health/ready").statusCode() == 200);
        hub.stopHub();
        TestHub.await(arriving.stop(vertx));
      } finally {
        TestHub.await(vertx.close());
      }
    }
  }

  @Test
  void embeddedWithItsPortTakenStopsStartUpWithExitStatus2NamingThePort() throws Exception {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      int port = ClusterNodes.freePort();
      JsonObject settings = new JsonObject().put("HOST", "127.0.0.1").put("PORT", port)
          .put("RABBITMQ_HOST", "127.0.0.1").put("RABBITMQ_PORT", taken.getLocalPort())
          .put("RABBITMQ_MODE", "embedded");
      HubProcess.Exited exited = HubProcess.runUntilExit(
          Files.createDirectories(Path.of("target", "hub-processes", "embedded-port-taken-" + port)), settings);
      assertEquals(2, exited.status(), exited.output());
      assertTrue(exited.output().contains("Agent Hub cannot start: RABBITMQ_MODE=embedded, but port "
          + taken.getLocalPort() + " on 127.0.0.1 is already in use"), exited.output());
    }
  }
}
