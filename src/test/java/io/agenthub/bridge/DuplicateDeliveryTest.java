package io.agenthub.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agenthub.metrics.HubMetrics;
import io.agenthub.protocol.Queues;
import io.agenthub.support.HubExtension;
import io.agenthub.support.Integration;
import io.agenthub.support.Messages;
import io.agenthub.support.RabbitVhost;
import io.agenthub.support.WsClient;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * "Once, not twice" across instances: a message redelivered to an instance that has no record of it is routed
 * again, which to the gateway looks exactly like the same bytes published to broker_output_queue twice. The socket
 * that already got it gets no second frame, its direct recipient nor the frontends that get its monitoring copy.
 */
@Integration
class DuplicateDeliveryTest {
  private static final String SUPPRESSED = "agenthub.messages.duplicates_suppressed";

  @RegisterExtension
  static final HubExtension HUB = HubExtension.perClass("dedupe", new JsonObject());

  @Test
  void theSameRoutedMessageTwiceReachesItsFrontendAndTheMonitorsOnce() throws Exception {
    try (WsClient target = WsClient.register(HUB.port(), "frontend", "Target");
         WsClient other = WsClient.register(HUB.port(), "frontend", "Other")) {
      double suppressedBefore = HubMetrics.registry().counter(SUPPRESSED).count();
      JsonObject reply = reply("r-twice", target.id(), "Echo: hi");
      HUB.rabbit().publish(Queues.BROKER_OUTPUT, reply);
      HUB.rabbit().publish(Queues.BROKER_OUTPUT, reply);
      HUB.rabbit().publish(Queues.BROKER_OUTPUT, reply("r-sentinel", target.id(), "Echo: next"));

      Predicate<JsonObject> isSentinel = f -> "r-sentinel".equals(f.getString("message_id"));
      assertEquals(1, count(target.framesBefore(isSentinel), "r-twice"), "the frontend gets the message once");
      assertEquals(1, count(other.framesBefore(isSentinel), "r-twice"), "another frontend gets one copy");
      assertTrue(HubMetrics.registry().counter(SUPPRESSED).count() >= suppressedBefore + 2,
          "the direct frame and the copy not written again are counted");
      assertEquals(0, HUB.rabbit().messageCount(Queues.BROKER_OUTPUT), "both deliveries were acknowledged");
    }
  }

  @Test
  void theMessageAndAnotherWithTheSameIdButOtherBytesAreBothWritten() throws Exception {
    try (WsClient target = WsClient.register(HUB.port(), "frontend", "Same id")) {
      HUB.rabbit().publish(Queues.BROKER_OUTPUT, reply("r-same-id", target.id(), "first"));
      HUB.rabbit().publish(Queues.BROKER_OUTPUT, reply("r-same-id", target.id(), "second"));
      HUB.rabbit().publish(Queues.BROKER_OUTPUT, reply("r-same-id-sentinel", target.id(), "next"));

      List<JsonObject> frames = target.framesBefore(f -> "r-same-id-sentinel".equals(f.getString("message_id")));
      assertEquals(2, count(frames, "r-same-id"), "the key is the digest of the bytes, not the message_id");
    }
  }

  /** The sender of a message for an offline agent gets the AGENT_OFFLINE error and the copy: two frames, one each. */
  @Test
  void anAgentOfflineErrorAndTheCopyOfItsMessageAreEachWrittenOnce() throws Exception {
    String agentId;
    try (WsClient agent = WsClient.register(HUB.port(), "agent", "Gone")) {
      agentId = agent.id();
    }
    try (WsClient sender = WsClient.register(HUB.port(), "frontend", "Sender")) {
      sender.next(f -> Messages.statusShows(f, agentId, false), WsClient.TIMEOUT);
      JsonObject text = new JsonObject().put("message_type", "TEXT").put("message_id", "t-offline")
          .put("sender_id", sender.id()).put("receiver_id", agentId).put("text_payload", "wake up");
      HUB.rabbit().publish(Queues.BROKER_OUTPUT, text);
      HUB.rabbit().publish(Queues.BROKER_OUTPUT, text);
      // The sentinel takes the same way (a presence lookup, then the error): its copy comes after everything above.
      HUB.rabbit().publish(Queues.BROKER_OUTPUT, text.copy().put("message_id", "t-offline-sentinel"));

      List<JsonObject> frames = sender.framesBefore(f -> "t-offline-sentinel".equals(f.getString("message_id")));
      assertEquals(1, frames.stream().filter(f -> "ERROR".equals(f.getString("message_type"))
          && "t-offline".equals(f.getString("in_reply_to_message_id"))).count(), "one AGENT_OFFLINE error");
      assertEquals(1, count(frames, "t-offline"), "one monitoring copy of the message");
    }
  }

  /**
   * A message for an agent is published to its queue with the bytes the broker published and the hub's delivery key
   * of those bytes in header x-hub-delivery-key: published twice (as two instances routing one redelivery would), the
   * agent gets two copies with one key, and can drop the second.
   */
  @Test
  void aMessageForAnAgentKeepsItsBytesAndCarriesTheKeyOfThemInAHeader() throws Exception {
    try (WsClient agent = WsClient.register(HUB.port(), "agent", "Keyed")) {
      String body = "{\"message_type\":\"TEXT\",  \"message_id\":\"t-keyed\",\"sender_id\":\"web_0000abcd\","
          + "\"receiver_id\":\"" + agent.id() + "\",\"text_payload\":\"hi\",\"_client_id\":\"web_0000abcd\"}";
      HUB.rabbit().publishRaw(Queues.BROKER_OUTPUT, body);
      HUB.rabbit().publishRaw(Queues.BROKER_OUTPUT, body);
      String key = DeliveryKey.of(body.getBytes(StandardCharsets.UTF_8));
      for (int copy = 1; copy <= 2; copy++) {
        RabbitVhost.Received received = HUB.rabbit().take(Queues.agentQueue(agent.id()), WsClient.TIMEOUT);
        assertNotNull(received, "copy " + copy + " reached the agent's queue");
        assertEquals(body, received.body(), "the body is the broker's, byte for byte");
        assertEquals(key, received.properties().getHeaders().get(Queues.DELIVERY_KEY_HEADER).toString());
        assertEquals(2, received.properties().getDeliveryMode(), "persistent, as before");
      }
    }
  }

  private static JsonObject reply(String messageId, String receiverId, String text) {
    return new JsonObject().put("message_type", "REPLY").put("message_id", messageId)
        .put("sender_id", "agent_abcdef01").put("receiver_id", receiverId).put("text_payload", text)
        .put("_client_id", "agent_abcdef01").put("_connection_type", "agent");
  }

  private static long count(List<JsonObject> frames, String messageId) {
    return frames.stream().filter(f -> messageId.equals(f.getString("message_id"))).count();
  }
}
