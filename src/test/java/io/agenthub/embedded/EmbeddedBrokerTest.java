package io.agenthub.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.PossibleAuthenticationFailureException;
import io.agenthub.support.ClusterNodes;
import io.agenthub.support.Integration;
import io.agenthub.support.TestHub;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The embedded broker on its own, with the RabbitMQ Java client as any AMQP client on the machine would use it. */
@Integration
class EmbeddedBrokerTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void closeVertx() throws Exception {
    TestHub.await(vertx.close());
  }

  @Test
  void servesTheHubsVirtualHostUnderItsNameAndAsTheDefaultToTheConfiguredUserOnly() throws Exception {
    int port = ClusterNodes.freePort();
    EmbeddedBroker broker = TestHub.await(EmbeddedBroker.start(vertx, port, "agents", "hub", "s3cret"));
    try (Connection byName = connect(port, "agents", "hub", "s3cret");
         Connection byDefault = connect(port, "/", "hub", "s3cret")) {
      Channel publisher = byName.createChannel();
      publisher.confirmSelect();
      publisher.queueDeclare("broker_input_queue", true, false, false, null);
      publisher.basicPublish("", "broker_input_queue", new AMQP.BasicProperties.Builder().deliveryMode(2).build(),
          "{\"text_payload\":\"hi\"}".getBytes(StandardCharsets.UTF_8));
      publisher.waitForConfirmsOrDie(5_000);

      GetResponse got = byDefault.createChannel().basicGet("broker_input_queue", true);
      assertEquals("{\"text_payload\":\"hi\"}", new String(got.getBody(), StandardCharsets.UTF_8),
          "/ and the hub's vhost name are the same virtual host");
      assertEquals(2, got.getProps().getDeliveryMode());

      assertThrows(PossibleAuthenticationFailureException.class, () -> connect(port, "/", "hub", "wrong"));
      assertThrows(PossibleAuthenticationFailureException.class, () -> connect(port, "/", "guest", "guest"),
          "only the configured user is known");
    } finally {
      TestHub.await(broker.stop(vertx));
    }
    assertTrue(EmbeddedBroker.isFree(port), "the port is released at stop");
  }

  @Test
  void aTakenPortIsRefusedWithAMessageNamingIt() throws Exception {
    int port = ClusterNodes.freePort();
    EmbeddedBroker first = TestHub.await(EmbeddedBroker.start(vertx, port, "/", "guest", "guest"));
    try {
      Exception refused = assertThrows(Exception.class,
          () -> TestHub.await(EmbeddedBroker.start(vertx, port, "/", "guest", "guest")));
      assertTrue(refused.getCause() instanceof BrokerPortTakenException, refused.toString());
      assertTrue(refused.getCause().getMessage().contains("port " + port + " on 127.0.0.1 is already in use"));
    } finally {
      TestHub.await(first.stop(vertx));
    }
  }

  private static Connection connect(int port, String vhost, String user, String password) throws Exception {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost("127.0.0.1");
    factory.setPort(port);
    factory.setVirtualHost(vhost);
    factory.setUsername(user);
    factory.setPassword(password);
    return factory.newConnection("embedded-broker-test");
  }
}
