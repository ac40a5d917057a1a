package io.agenthub.bridge;

import io.agenthub.protocol.Queues;
import static io.agenthub.support.Messages.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agenthub.support.HubExtension;
import io.agenthub.support.Integration;
import io.agenthub.support.RabbitVhost;
import io.agenthub.support.WsClient;
import io.vertx.core.json.JsonObject;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The routing of broker_output_queue, with the test acting as the broker over real AMQP. */
@Integration
class OutputRoutingTest {
  @RegisterExtension
  static final HubExtension HUB = HubExtension.perClass("routing", new JsonObject());

  @Test
  void messageForAnOnlineAgentGoesToItsQueue() throws Exception {
    try (WsClient agent = WsClient.register(HUB.port(), "agent", "Worker")) {
      JsonObject routed = text("for the agent").put("sender_id", "web_12345678").put("receiver_id", agent.id())
          .put("_client_id", "web_12345678").put("_connection_type", "frontend");
      HUB.rabbit().publish(Queues.BROKER_OUTPUT, routed);
      RabbitVhost.Received received = HUB.rabbit().take(Queues.agentQueue(agent.id()), WsClient.TIMEOUT);
      assertNotNull(received, "the agent's queue got the message");
      assertEquals(routed, received.json(), "the agent queue gets the message as routed");
      assertEquals(2, received.properties().getDeliveryMode());
    }
  }

  @Test
  void messageForAnOfflineAgentIsAnsweredWithAnErrorToTheSender() throws Exception {
    String agentId;
    try (WsClient agent = WsClient.register(HUB.port(), "agent", "Sleepy")) {
      agentId = agent.id();
    }
    try (WsClient frontend = WsClient.register(HUB.port(), "frontend", "Asker")) {
      frontend.next(f -> "AGENT_STATUS_UPDATE".equals(f.getString("message_type"))
          && f.getJsonArray("agents").stream().map(JsonObject.class::cast)
              .anyMatch(a -> agentId.equals(a.getString("agent_id")) && !a.getBoolean("is_online")),
          WsClient.TIMEOUT);
      JsonObject routed = text("wake up").put("sender_id", frontend.id()).put("receiver_id", agentId);
      HUB.rabbit().publish(Queues.BROKER_OUTPUT, routed);
      JsonObject error = frontend.next(f -> "ERROR".equals(f.getString("message_type")), WsClient.TIMEOUT);
      assertTrue(error.getString("text_payload").contains("offline"), error.encode());
      assertTrue(error.getString("text_payload").contains("not delivered"), error.encode());
      assertEquals("AGENT_OFFLINE", error.getString("error_code"));
      assertEquals(routed.getString("message_id"), error.getString("in_reply_to_message_id"));
      assertEquals(frontend.id(), error.getString("receiver_id"));
      assertEquals("server", error.getString("sender_id"));
    }
  }

  @Test
  void brokerErrorGoesToTheClientItCarriesWithInternalKeysStripped() throws Exception {
    try (WsClient frontend = WsClient.register(HUB.port(), "frontend", "Failed")) {
      JsonObject error = new JsonObject().put("message_type", "ERROR").put("message_id", "e-1")
          .put("sender_id", "broker").put("receiver_id", "someone-else").put("_client_id", frontend.id())
          .put("_broadcast", false).put("_target_agent_id", "agent_00000000").put("text_payload", "No agent");
      HUB.rabbit().publish(Queues.BROKER_OUTPUT, error);
      JsonObject received = frontend.next(f -> "e-1".equals(f.getString("message_id")), WsClient.TIMEOUT);
      assertFalse(received.containsKey("_client_id"));
      assertFalse(received.containsKey("_broadcast"));
      assertFalse(received.containsKey("_target_agent_id"));
      assertEquals("No agent", received.getString("text_payload"));
    }
  }

  @Test
  void replyReachesItsFrontendOnceAndOtherFrontendsGetOneCopy() throws Exception {
    try (WsClient target = WsClient.register(HUB.port(), "frontend", "Target");
         WsClient other = WsClient.register(HUB.port(), "frontend", "Other")) {
      JsonObject reply = new JsonObject().put("message_type", "REPLY").put("message_id", "r-1")
          .put("sender_id", "agent_abcdef01").put("receiver_id", target.id()).put("text_payload", "Echo: hi")
          .put("_client_id", "agent_abcdef01").put("_connection_type", "agent");
      HUB.rabbit().publish(Queues.BROKER_OUTPUT, reply);
      Predicate<JsonObject> isReply = f -> "r-1".equals(f.getString("message_id"));
      JsonObject delivered = target.next(isReply, WsClient.TIMEOUT);
      other.next(isReply, WsClient.TIMEOUT);
      // The copies go out to every frontend of the gateway at once: one that reached the other frontend would have
      // reached the target too, before the target's PONG.
      assertTrue(other.framesBeforePong().stream().noneMatch(isReply), "the other frontend gets one monitoring copy");
      assertTrue(target.framesBeforePong().stream().noneMatch(isReply), "delivered once, no extra monitoring copy");
      assertFalse(delivered.containsKey("_client_id"));
      assertEquals("agent", delivered.getString("_connection_type"), "other fields are kept");
    }
  }

  @Test
  void messageForAClientThatIsNotConnectedIsDeadLetteredWithItsReason() throws Exception {
    JsonObject lost = text("nobody home").put("receiver_id", "web_0badc0de").put("sender_id", "agent_00000001");
    HUB.rabbit().publish(Queues.BROKER_OUTPUT, lost);
    RabbitVhost.Received dead = HUB.rabbit().take(Queues.UNDELIVERABLE, WsClient.TIMEOUT);
    assertNotNull(dead, "parked in hub_undeliverable");
    assertEquals(lost, dead.json());
    assertTrue(dead.properties().getHeaders().get(Queues.REASON_HEADER).toString().contains("not connected"));
    assertEquals("web_0badc0de", dead.properties().getHeaders().get(Queues.RECEIVER_HEADER).toString());
    assertEquals(0, HUB.rabbit().messageCount(Queues.BROKER_OUTPUT), "the original was acknowledged");
  }

  @Test
  void tooDeeplyNestedJsonOnTheOutputQueueIsDeadLetteredWithItsReason() throws Exception {
    String deep = "{\"message_type\":\"TEXT\",\"nested\":" + "[".repeat(900) + "]".repeat(900) + "}";
    HUB.rabbit().publishRaw(Queues.BROKER_OUTPUT, deep);
    RabbitVhost.Received dead = HUB.rabbit().take(Queues.UNDELIVERABLE, WsClient.TIMEOUT);
    assertNotNull(dead);
    assertEquals(deep, dead.body(), "parked as it came");
    assertTrue(dead.properties().getHeaders().get(Queues.REASON_HEADER).toString().contains("nested deeper"));
  }

  @Test
  void invalidJsonOnTheOutputQueueIsDeadLetteredNotLost() throws Exception {
    HUB.rabbit().publishRaw(Queues.BROKER_OUTPUT, "not json at all");
    RabbitVhost.Received dead = HUB.rabbit().take(Queues.UNDELIVERABLE, WsClient.TIMEOUT);
    assertNotNull(dead);
    assertEquals("not a JSON object", dead.properties().getHeaders().get(Queues.REASON_HEADER).toString());
  }
}
