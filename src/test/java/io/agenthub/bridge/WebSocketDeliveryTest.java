package io.agenthub.bridge;

import io.agenthub.protocol.Queues;
import static io.agenthub.support.Messages.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agenthub.support.Await;
import io.agenthub.support.HubExtension;
import io.agenthub.support.Integration;
import io.agenthub.support.WsClient;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Protocol extension "WebSocket delivery": an agent that registers with {@code "delivery":"websocket"} gets the
 * messages of its queue over its socket, each acknowledged after the write, and what arrives while it is away waits
 * in the queue for it.
 */
@Integration
class WebSocketDeliveryTest {

  @RegisterExtension
  static final HubExtension HUB = HubExtension.perClass("ws-delivery", new JsonObject());

  @Test
  void messagesForTheAgentArriveOverItsSocketAndLeaveTheQueue() throws Exception {
    try (WsClient agent = registerAgent(null)) {
      JsonObject routed = text("pushed").put("sender_id", "web_12345678").put("receiver_id", agent.id())
          .put("_client_id", "web_12345678").put("_connection_type", "frontend");
      HUB.rabbit().publish(Queues.BROKER_OUTPUT, routed);
      JsonObject received = agent.next("TEXT");
      assertEquals("pushed", received.getString("text_payload"));
      assertEquals("frontend", received.getString("_connection_type"));
      assertFalse(received.containsKey("_client_id"), "internal keys are stripped before a socket");
      String queue = Queues.agentQueue(agent.id());
      Await.until(queue + " is empty and nothing is unacknowledged", WsClient.TIMEOUT,
          () -> HUB.rabbit().messageCount(queue) == 0 && HUB.rabbit().unacknowledged(queue) == 0);
    }
  }

  @Test
  void messagesQueuedWhileTheAgentIsAwayArriveWhenItResumes() throws Exception {
    String agentId;
    try (WsClient agent = registerAgent(null)) {
      agentId = agent.id();
    }
    String queue = Queues.agentQueue(agentId);
    Await.until("nobody consumes " + queue, WsClient.TIMEOUT, () -> HUB.rabbit().consumerCount(queue) == 0);
    HUB.rabbit().publish(queue, text("while you were away").put("receiver_id", agentId));
    try (WsClient back = registerAgent(agentId)) {
      assertEquals(agentId, back.id());
      assertEquals("while you were away", back.next("TEXT").getString("text_payload"));
    }
  }

  @Test
  void agentsWithoutTheOptionKeepConsumingTheirQueueThemselves() throws Exception {
    try (WsClient agent = WsClient.register(HUB.port(), "agent", "Classic")) {
      HUB.rabbit().publish(Queues.BROKER_OUTPUT, text("for the queue").put("receiver_id", agent.id()));
      String queue = Queues.agentQueue(agent.id());
      Await.until(queue + " holds the message", WsClient.TIMEOUT, () -> HUB.rabbit().messageCount(queue) == 1);
      assertEquals(0, HUB.rabbit().consumerCount(queue), "the hub does not consume " + queue);
      assertTrue(agent.framesBeforePong().stream().noneMatch(f -> "TEXT".equals(f.getString("message_type"))));
    }
  }

  @Test
  void anUnknownDeliveryModeIsRefused() throws Exception {
    try (WsClient agent = WsClient.connect(HUB.port())) {
      agent.sendUnchecked(new JsonObject().put("message_type", "REGISTER_AGENT").put("agent_name", "Typo")
          .put("delivery", "websockets"));
      JsonObject error = agent.next();
      assertEquals("INVALID_FIELD", error.getString("error_code"), error.encode());
    }
  }

  private static WsClient registerAgent(String resumeId) throws Exception {
    JsonObject registration = new JsonObject().put("message_type", "REGISTER_AGENT").put("agent_name", "Pushed")
        .put("delivery", "websocket");
    if (resumeId != null) {
      registration.put("agent_id", resumeId);
    }
    return WsClient.register(HUB.port(), registration);
  }
}
