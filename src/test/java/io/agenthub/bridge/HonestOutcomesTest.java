package io.agenthub.bridge;

import io.agenthub.protocol.Queues;
import static io.agenthub.support.Messages.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agenthub.bus.Addresses;
import io.agenthub.bus.BridgeStatus;
import io.agenthub.metrics.HubMetrics;
import io.agenthub.support.Await;
import io.agenthub.support.HubExtension;
import io.agenthub.support.Integration;
import io.agenthub.support.RabbitVhost;
import io.agenthub.support.TcpProxy;
import io.agenthub.support.TestHub;
import io.agenthub.support.WsClient;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the hub tells and does when its AMQP connection breaks at the worst moment, made exact by a TCP proxy between
 * the hub and the real RabbitMQ: a confirm that never arrives, an ack that never reaches RabbitMQ.
 */
@Integration
class HonestOutcomesTest {
  private static final TcpProxy PROXY = proxyToRabbitMq();
  @RegisterExtension
  static final HubExtension HUB = HubExtension.perTest("honest", new JsonObject().put("RABBITMQ_PORT", PROXY.port()));

  private static TcpProxy proxyToRabbitMq() {
    try {
      return TcpProxy.to(5672);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void aMessageWhoseConfirmIsLostWithTheConnectionIsReportedAsUnknownNotAsFailed() throws Exception {
    try (WsClient sender = WsClient.register(HUB.port(), "frontend", "Sender")) {
      PROXY.holdBackToClients();
      JsonObject message = text("confirm lost");
      sender.send(message);
      Await.until("the message is in broker_input_queue", WsClient.TIMEOUT,
          () -> HUB.rabbit().messageCount(Queues.BROKER_INPUT) == 1);
      PROXY.cutAll();

      JsonObject error = sender.next("ERROR");
      assertEquals("FORWARD_OUTCOME_UNKNOWN", error.getString("error_code"), error.encode());
      assertEquals("Error: Could not forward message to broker.", error.getString("text_payload"),
          "old clients see the contract's text unchanged");
      assertEquals(message.getString("message_id"), error.getString("in_reply_to_message_id"));
      JsonObject published = HUB.rabbit().takeJson(Queues.BROKER_INPUT, WsClient.TIMEOUT);
      assertNotNull(published);
      assertEquals(message.getString("message_id"), published.getString("message_id"),
          "the message did reach RabbitMQ, so FORWARD_FAILED would have been false");
    }
  }

  @Test
  void aRedeliveryOfAMessageAlreadyWrittenToItsSocketIsAcknowledgedNotDeliveredAgain() throws Exception {
    try (WsClient frontend = WsClient.register(HUB.port(), "frontend", "Receiver")) {
      double skippedBefore = HubMetrics.registry().counter("agenthub.messages.redeliveries_skipped").count();
      PROXY.holdBackToServer();
      JsonObject first = text("once").put("sender_id", "agent_00000001").put("receiver_id", frontend.id());
      HUB.rabbit().publish(Queues.BROKER_OUTPUT, first);
      frontend.next(f -> first.getString("message_id").equals(f.getString("message_id")), WsClient.TIMEOUT);
      PROXY.cutAll();

      Await.until("the hub consumes again and the redelivered message is settled", WsClient.TIMEOUT,
          () -> HUB.rabbit().consumerCount(Queues.BROKER_OUTPUT) == 1
              && HUB.rabbit().messageCount(Queues.BROKER_OUTPUT) == 0
              && HUB.rabbit().unacknowledged(Queues.BROKER_OUTPUT) == 0);
      JsonObject sentinel = text("after").put("sender_id", "agent_00000001").put("receiver_id", frontend.id());
      HUB.rabbit().publish(Queues.BROKER_OUTPUT, sentinel);
      List<JsonObject> untilSentinel = frontend.framesUntil(
          f -> sentinel.getString("message_id").equals(f.getString("message_id")), WsClient.TIMEOUT);
      assertTrue(untilSentinel.stream().noneMatch(f -> first.getString("message_id").equals(f.getString("message_id"))),
          "the redelivered message reached the socket a second time: " + untilSentinel);
      assertTrue(HubMetrics.registry().counter("agenthub.messages.redeliveries_skipped").count() > skippedBefore,
          "the skipped redelivery is counted");
    }
  }

  /**
   * A publish to an agent's queue whose confirm never came may or may not have reached RabbitMQ: the delivery goes
   * back to broker_output_queue and is published again, with the same x-hub-delivery-key, and counted. Here the first
   * publish was held back and lost with the connection, so the agent's queue gets the message once, not never.
   */
  @Test
  void aMessageForAnAgentWhosePublishWentUnconfirmedIsPublishedAgainWithItsKey() throws Exception {
    try (WsClient agent = WsClient.register(HUB.port(), "agent", "Unconfirmed")) {
      // A first message makes the hub declare the agent's queue, a request that would otherwise be held back too.
      HUB.rabbit().publish(Queues.BROKER_OUTPUT, text("first").put("sender_id", "web_0000abcd")
          .put("receiver_id", agent.id()));
      assertNotNull(HUB.rabbit().take(Queues.agentQueue(agent.id()), WsClient.TIMEOUT));
      double republishedBefore = HubMetrics.registry().counter("agenthub.messages.republished").count();
      PROXY.holdBackToServer();
      JsonObject message = text("for the agent").put("sender_id", "web_0000abcd").put("receiver_id", agent.id());
      HUB.rabbit().publish(Queues.BROKER_OUTPUT, message);
      Await.until("the hub published to the agent's queue and waits for the confirm", WsClient.TIMEOUT,
          () -> unconfirmedPublishes() == 1);
      PROXY.cutAll();

      RabbitVhost.Received received = HUB.rabbit().take(Queues.agentQueue(agent.id()), WsClient.TIMEOUT);
      assertNotNull(received, "the message reached the agent's queue after all");
      assertEquals(message.getString("message_id"), received.json().getString("message_id"));
      assertEquals(DeliveryKey.of(received.body().getBytes(StandardCharsets.UTF_8)),
          received.properties().getHeaders().get(Queues.DELIVERY_KEY_HEADER).toString());
      Await.until("the publish after the unknown outcome is counted", WsClient.TIMEOUT,
          () -> HubMetrics.registry().counter("agenthub.messages.republished").count() > republishedBefore);
      JsonObject sentinel = text("after").put("sender_id", "web_0000abcd").put("receiver_id", agent.id());
      HUB.rabbit().publish(Queues.BROKER_OUTPUT, sentinel);
      assertEquals(sentinel.getString("message_id"),
          HUB.rabbit().takeJson(Queues.agentQueue(agent.id()), WsClient.TIMEOUT).getString("message_id"),
          "published once more, not twice");
    }
  }

  private static int unconfirmedPublishes() throws Exception {
    return BridgeStatus.fromJson(TestHub.await(HUB.hub().vertx().eventBus()
        .<JsonObject>request(Addresses.BRIDGE_STATUS, new JsonObject())).body()).unconfirmedPublishes();
  }
}
