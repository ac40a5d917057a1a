package io.agenthub.companion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.agenthub.protocol.Queues;
import io.agenthub.presence.SharedDataPresenceStore;
import io.agenthub.support.Await;
import io.agenthub.support.HubExtension;
import io.agenthub.support.Integration;
import io.agenthub.support.TcpProxy;
import io.agenthub.support.TestHub;
import io.agenthub.support.WsClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code chat} uses session resume: when its connection drops while the question is being answered, it reconnects
 * with its frontend_id and still gets the answer. The test acts as the broker; a TCP proxy between chat and the hub
 * cuts the connection and keeps the reconnect waiting until the answer has been parked.
 */
@Integration
class ChatResumeTest {
  @RegisterExtension
  static final HubExtension HUB = HubExtension.perClass("chat-resume", new JsonObject()
      .put("PERIODIC_STATUS_INTERVAL", 3600));

  @Test
  void chatWhoseConnectionDropsMidQuestionReconnectsAndStillGetsTheAnswer() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (TcpProxy proxy = TcpProxy.to(HUB.port())) {
      CompanionSettings settings = new CompanionSettings("ws://127.0.0.1:" + proxy.port() + "/ws", "127.0.0.1", 5672,
          "guest", "guest", HUB.rabbit().name());
      ByteArrayOutputStream printed = new ByteArrayOutputStream();
      Future<JsonObject> answer =
          new ChatCommand(vertx, settings, new PrintStream(printed, true, StandardCharsets.UTF_8))
              .ask("are you there?", 60_000);
      JsonObject question = HUB.rabbit().takeJson(Queues.BROKER_INPUT, WsClient.TIMEOUT);
      assertNotNull(question, "chat sent its question");
      String frontendId = question.getString("_client_id");

      proxy.cutAll();
      proxy.holdBackToServer();
      Await.until(frontendId + " recorded away", WsClient.TIMEOUT, () -> TestHub.await(HUB.hub().vertx().sharedData()
          .<String, JsonObject>getAsyncMap(SharedDataPresenceStore.AWAY_MAP)
          .compose(away -> away.get(frontendId))) != null);
      HUB.rabbit().publish(Queues.BROKER_OUTPUT, new JsonObject().put("message_type", "REPLY")
          .put("message_id", UUID.randomUUID().toString()).put("sender_id", "agent_0000abcd")
          .put("receiver_id", frontendId).put("in_reply_to_message_id", question.getString("message_id"))
          .put("text_payload", "yes, still here").put("send_timestamp", "2025-04-08T10:00:00"));
      Await.until("the answer waits for chat", WsClient.TIMEOUT,
          () -> HUB.rabbit().readyIn(Queues.resumeQueue(frontendId)) == 1);
      proxy.cutAll();

      JsonObject reply = TestHub.await(answer);
      assertEquals("yes, still here", reply.getString("text_payload"));
      assertEquals(frontendId, reply.getString("receiver_id"), "chat resumed its session: " + printed);
    } finally {
      TestHub.await(vertx.close());
    }
  }
}
