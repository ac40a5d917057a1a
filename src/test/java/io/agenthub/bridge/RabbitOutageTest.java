package io.agenthub.bridge;

import io.agenthub.protocol.Queues;
import static io.agenthub.support.Messages.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agenthub.support.HubExtension;
import io.agenthub.support.Integration;
import io.agenthub.support.WsClient;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** RabbitMQ dropping the hub's connection mid-traffic, and the hub's own graceful shutdown. */
@Integration
class RabbitOutageTest {
  private static final int MESSAGES = 120;
  @RegisterExtension
  static final HubExtension HUB = HubExtension.perTest("outage", new JsonObject().put("CLIENT_RATE_LIMIT", 0));

  @Test
  void everyConfirmedMessageIsDeliveredAfterAConnectionDropAndNoneVanishSilently() throws Exception {
    try (WsClient sender = WsClient.register(HUB.port(), "frontend", "Sender")) {
      Set<String> sent = new HashSet<>();
      for (int i = 0; i < MESSAGES; i++) {
        JsonObject message = text("m" + i);
        sent.add(message.getString("message_id"));
        sender.send(message);
        if (i == MESSAGES / 3) {
          HUB.rabbit().closeAllConnections();
        }
      }
      Set<String> confirmed = new HashSet<>();
      Set<String> notPublished = new HashSet<>();
      Set<String> outcomeUnknown = new HashSet<>();
      while (confirmed.size() + notPublished.size() + outcomeUnknown.size() < MESSAGES) {
        JsonObject frame = sender.next(f -> "TEXT".equals(f.getString("message_type"))
            || "ERROR".equals(f.getString("message_type")), Duration.ofSeconds(20));
        if ("TEXT".equals(frame.getString("message_type"))) {
          confirmed.add(frame.getString("message_id"));
          continue;
        }
        assertEquals("Error: Could not forward message to broker.", frame.getString("text_payload"));
        assertEquals(sender.id(), frame.getString("receiver_id"));
        String code = frame.getString("error_code");
        assertTrue(code.equals("FORWARD_FAILED") || code.equals("FORWARD_OUTCOME_UNKNOWN"), frame.encode());
        (code.equals("FORWARD_FAILED") ? notPublished : outcomeUnknown).add(frame.getString("in_reply_to_message_id"));
      }
      Set<String> answered = new HashSet<>(confirmed);
      answered.addAll(notPublished);
      answered.addAll(outcomeUnknown);
      assertEquals(sent, answered, "every message was either confirmed or refused with an ERROR");
      assertTrue(confirmed.size() > MESSAGES / 3, "messages before the drop were confirmed: " + confirmed.size());

      HUB.rabbit().connect();
      JsonObject sentinel = text("sentinel").put("sender_id", "agent_00000001").put("_client_id", "agent_00000001")
          .put("_connection_type", "agent");
      HUB.rabbit().publish(Queues.BROKER_INPUT, sentinel);
      Set<String> queued = new HashSet<>();
      JsonObject taken;
      do {
        taken = HUB.rabbit().takeJson(Queues.BROKER_INPUT, Duration.ofSeconds(20));
        assertNotNull(taken, "the sentinel published after every answer reaches the end of broker_input_queue");
        queued.add(taken.getString("message_id"));
      } while (!sentinel.getString("message_id").equals(taken.getString("message_id")));
      assertTrue(queued.containsAll(confirmed), "every confirmed message is in broker_input_queue");
      assertTrue(notPublished.stream().noneMatch(queued::contains),
          "a message answered FORWARD_FAILED must really be missing from broker_input_queue");

      JsonObject afterRecovery = text("after recovery").put("receiver_id", sender.id());
      HUB.rabbit().publish(Queues.BROKER_OUTPUT, afterRecovery);
      sender.next(f -> afterRecovery.getString("message_id").equals(f.getString("message_id")), Duration.ofSeconds(20));
    }
  }

  @Test
  void gracefulShutdownClosesSocketsWith1001AndReleasesRabbitMq() throws Exception {
    WsClient agent = WsClient.register(HUB.port(), "agent", "Goodbye");
    WsClient frontend = WsClient.register(HUB.port(), "frontend", "Goodbye");
    assertEquals(1, HUB.rabbit().consumerCount(Queues.BROKER_OUTPUT), "the hub consumes broker_output_queue");
    HUB.hub().stopHub();
    assertEquals(1001, agent.awaitClose());
    assertEquals(1001, frontend.awaitClose());
    assertEquals(0, HUB.rabbit().consumerCount(Queues.BROKER_OUTPUT), "the hub's AMQP connection is closed");
    agent.close();
    frontend.close();
  }
}
