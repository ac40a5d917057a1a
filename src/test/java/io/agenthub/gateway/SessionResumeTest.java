package io.agenthub.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agenthub.protocol.Queues;
import io.agenthub.presence.SharedDataPresenceStore;
import io.agenthub.support.Await;
import io.agenthub.support.HubExtension;
import io.agenthub.support.Integration;
import io.agenthub.support.Messages;
import io.agenthub.support.RabbitVhost;
import io.agenthub.support.RawWebSocket;
import io.agenthub.support.TestHub;
import io.agenthub.support.WsClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Protocol extension "session resume": a frontend or broker that lost its socket takes its id back within
 * CLIENT_RESUME_WINDOW and first gets everything addressed to it meanwhile, in order, once. The test acts as the
 * broker, publishing to broker_output_queue over real AMQP.
 */
@Integration
class SessionResumeTest {
  @RegisterExtension
  static final HubExtension HUB = HubExtension.perClass("resume", new JsonObject().put("PERIODIC_STATUS_INTERVAL", 3600)
      .put("DELIVERY_TIMEOUT_MS", 120_000).put("CLIENT_MAX_UNREAD_CHARS", 64 * 1_048_576));

  @Test
  void resumedFrontendGetsWhatWasAddressedToItWhileAwayFirstInOrderOnce() throws Exception {
    String frontendId;
    try (WsClient frontend = WsClient.register(HUB.port(), "frontend", "Blip")) {
      frontendId = frontend.id();
    }
    awaitAway(HUB.hub().vertx(), frontendId);
    int missed = 50;
    for (int i = 0; i < missed; i++) {
      HUB.rabbit().publish(Queues.BROKER_OUTPUT, reply(frontendId, "missed " + i));
    }
    awaitParked(HUB.rabbit(), frontendId, missed);

    try (WsClient back = WsClient.connect(HUB.port())) {
      back.send(registration("frontend", "Blip", frontendId));
      JsonObject response = back.next();
      assertEquals("REGISTER_FRONTEND_RESPONSE", response.getString("message_type"), response.encode());
      assertEquals(frontendId, response.getString("frontend_id"), "the frontend takes its id back");
      HUB.rabbit().publish(Queues.BROKER_OUTPUT, reply(frontendId, "live"));
      List<String> expected = new ArrayList<>();
      for (int i = 0; i < missed; i++) {
        expected.add("missed " + i);
      }
      expected.add("live");
      assertEquals(expected,
          replyTexts(back.framesUntil(f -> "live".equals(f.getString("text_payload")), WsClient.TIMEOUT)),
          "what waited comes first, in order, once, then the live message (held while the backlog was written)");
      back.send(new JsonObject().put("message_type", "PING"));
      assertEquals(List.of(),
          replyTexts(back.framesUntil(f -> "PONG".equals(f.getString("message_type")), WsClient.TIMEOUT)),
          "no second copy of anything");
    }
    assertEquals(0, HUB.rabbit().readyIn(Queues.resumeQueue(frontendId)), "the resume queue was drained");
    assertEquals(0, HUB.rabbit().messageCount(Queues.UNDELIVERABLE), "nothing was dead-lettered");
  }

  /**
   * "Once, not twice" across a resume: a message written to the socket before it closed and routed again while the
   * client is away (a redelivery after a lost ack, here the same bytes published again) waits in the resume queue,
   * and is acknowledged there without reaching the resumed socket, which still gets what it had not; the guard goes on
   * with the next resume too.
   */
  @Test
  void aMessageWrittenBeforeTheSocketClosedIsNotWrittenAgainAfterTheResume() throws Exception {
    JsonObject seen;
    String frontendId;
    try (WsClient frontend = WsClient.register(HUB.port(), "frontend", "Seen")) {
      frontendId = frontend.id();
      seen = reply(frontendId, "seen before");
      HUB.rabbit().publish(Queues.BROKER_OUTPUT, seen);
      frontend.next(f -> "seen before".equals(f.getString("text_payload")), WsClient.TIMEOUT);
    }
    for (int hop = 1; hop <= 2; hop++) {
      String resume = String.valueOf(hop);
      awaitAway(HUB.hub().vertx(), frontendId);
      HUB.rabbit().publish(Queues.BROKER_OUTPUT, seen);
      HUB.rabbit().publish(Queues.BROKER_OUTPUT, reply(frontendId, "missed " + resume));
      awaitParked(HUB.rabbit(), frontendId, 2);
      try (WsClient back = WsClient.connect(HUB.port())) {
        back.send(registration("frontend", "Seen", frontendId));
        assertEquals(frontendId, back.next("REGISTER_FRONTEND_RESPONSE").getString("frontend_id"));
        HUB.rabbit().publish(Queues.BROKER_OUTPUT, reply(frontendId, "live " + resume));
        assertEquals(List.of("missed " + resume, "live " + resume),
            replyTexts(back.framesUntil(f -> ("live " + resume).equals(f.getString("text_payload")),
                WsClient.TIMEOUT)), "resume " + resume + ": what the client had is not written again");
        Await.until("the repeat was acknowledged in the resume queue", WsClient.TIMEOUT,
            () -> HUB.rabbit().readyIn(Queues.resumeQueue(frontendId)) == 0
                && HUB.rabbit().unacknowledged(Queues.resumeQueue(frontendId)) == 0);
      }
    }
  }

  /**
   * A backlog far larger than the socket buffers of a client that does not read yet cannot be written completely: the
   * live message that arrives meanwhile must wait behind it, not slip in between.
   */
  /**
   * "Once, not twice": an instance that parked a message and died before its ack, and the one RabbitMQ redelivered
   * it to, both park it; parked with its delivery key, it is written once when drained.
   */
  @Test
  void theSameMessageParkedTwiceIsWrittenOnceOnResume() throws Exception {
    String frontendId;
    try (WsClient frontend = WsClient.register(HUB.port(), "frontend", "Twice")) {
      frontendId = frontend.id();
    }
    awaitAway(HUB.hub().vertx(), frontendId);
    JsonObject twice = reply(frontendId, "parked twice");
    HUB.rabbit().publish(Queues.BROKER_OUTPUT, twice);
    HUB.rabbit().publish(Queues.BROKER_OUTPUT, twice);
    HUB.rabbit().publish(Queues.BROKER_OUTPUT, reply(frontendId, "parked once"));
    awaitParked(HUB.rabbit(), frontendId, 3);

    try (WsClient back = WsClient.connect(HUB.port())) {
      back.send(registration("frontend", "Twice", frontendId));
      assertEquals(frontendId, back.next("REGISTER_FRONTEND_RESPONSE").getString("frontend_id"));
      HUB.rabbit().publish(Queues.BROKER_OUTPUT, reply(frontendId, "live"));
      assertEquals(List.of("parked twice", "parked once", "live"),
          replyTexts(back.framesUntil(f -> "live".equals(f.getString("text_payload")), WsClient.TIMEOUT)));
      Await.until("the repeat was acknowledged too", WsClient.TIMEOUT,
          () -> HUB.rabbit().readyIn(Queues.resumeQueue(frontendId)) == 0
              && HUB.rabbit().unacknowledged(Queues.resumeQueue(frontendId)) == 0);
    }
  }

  @Test
  void liveMessageThatArrivesWhileTheBacklogIsWrittenWaitsBehindIt() throws Exception {
    String frontendId;
    try (WsClient frontend = WsClient.register(HUB.port(), "frontend", "Slowpoke")) {
      frontendId = frontend.id();
    }
    awaitAway(HUB.hub().vertx(), frontendId);
    int missed = 100;
    String bulk = "x".repeat(60_000);
    for (int i = 0; i < missed; i++) {
      HUB.rabbit().publish(Queues.BROKER_OUTPUT, reply(frontendId, "missed " + i).put("bulk", bulk));
    }
    awaitParked(HUB.rabbit(), frontendId, missed);

    try (RawWebSocket back = RawWebSocket.register(HUB.port(), registration("frontend", "Slowpoke", frontendId))) {
      Await.until("the backlog is stuck behind the unread socket", WsClient.TIMEOUT,
          () -> HUB.rabbit().readyIn(Queues.resumeQueue(frontendId)) > 0
              && HUB.rabbit().unacknowledged(Queues.resumeQueue(frontendId)) == 1);
      HUB.rabbit().publish(Queues.BROKER_OUTPUT, reply(frontendId, "live"));
      Await.until("the live message reached the hub", WsClient.TIMEOUT,
          () -> HUB.rabbit().unacknowledged(Queues.BROKER_OUTPUT) == 1);
      List<String> replies = new ArrayList<>();
      JsonObject frame;
      do {
        frame = back.readFrame();
        if ("REPLY".equals(frame.getString("message_type"))) {
          replies.add(frame.getString("text_payload"));
        }
      } while (!"live".equals(frame.getString("text_payload")));
      List<String> expected = new ArrayList<>();
      for (int i = 0; i < missed; i++) {
        expected.add("missed " + i);
      }
      expected.add("live");
      assertEquals(expected, replies, "the live message waited until the backlog was written");
    }
  }

  @Test
  void resumedBrokerGetsWhatWasAddressedToIt() throws Exception {
    String brokerId;
    try (WsClient broker = WsClient.register(HUB.port(), "broker", "Router")) {
      brokerId = broker.id();
    }
    awaitAway(HUB.hub().vertx(), brokerId);
    HUB.rabbit().publish(Queues.BROKER_OUTPUT, reply(brokerId, "for the broker"));
    awaitParked(HUB.rabbit(), brokerId, 1);
    try (WsClient back = WsClient.connect(HUB.port())) {
      back.send(registration("broker", "Router", brokerId));
      assertEquals(brokerId, back.next("REGISTER_BROKER_RESPONSE").getString("broker_id"));
      assertEquals("for the broker", back.next("REPLY").getString("text_payload"));
    }
  }

  @Test
  void theAnswerThatAnAgentIsOfflineWaitsForTheSenderToo() throws Exception {
    String agentId;
    try (WsClient agent = WsClient.register(HUB.port(), "agent", "Napping")) {
      agentId = agent.id();
    }
    String frontendId;
    try (WsClient frontend = WsClient.register(HUB.port(), "frontend", "Asker")) {
      frontendId = frontend.id();
      frontend.next(f -> Messages.statusShows(f, agentId, false), WsClient.TIMEOUT);
    }
    awaitAway(HUB.hub().vertx(), frontendId);
    JsonObject question = Messages.text("anyone?").put("sender_id", frontendId).put("receiver_id", agentId)
        .put("_client_id", frontendId);
    HUB.rabbit().publish(Queues.BROKER_OUTPUT, question);
    awaitParked(HUB.rabbit(), frontendId, 1);
    try (WsClient back = WsClient.register(HUB.port(), registration("frontend", "Asker", frontendId))) {
      assertEquals(frontendId, back.id());
      JsonObject error = back.next("ERROR");
      assertEquals("AGENT_OFFLINE", error.getString("error_code"));
      assertEquals(question.getString("message_id"), error.getString("in_reply_to_message_id"));
    }
  }

  @Test
  void resumingAnIdThatIsConnectedIsRefusedAndTheSocketMayRegisterAfresh() throws Exception {
    try (WsClient frontend = WsClient.register(HUB.port(), "frontend", "Original");
         WsClient impostor = WsClient.connect(HUB.port())) {
      impostor.send(registration("frontend", "Impostor", frontend.id()));
      JsonObject refusal = impostor.next();
      assertEquals("ERROR", refusal.getString("message_type"), refusal.encode());
      assertEquals("CLIENT_ID_IN_USE", refusal.getString("error_code"));
      assertTrue(refusal.getString("text_payload").contains(frontend.id()), refusal.encode());
      impostor.sendUnchecked(new JsonObject().put("message_type", "PING"));
      assertEquals("NOT_REGISTERED", impostor.next().getString("error_code"), "the socket stays unregistered");

      impostor.send(registration("frontend", "Impostor", null));
      JsonObject response = impostor.next();
      assertEquals("REGISTER_FRONTEND_RESPONSE", response.getString("message_type"), response.encode());
      assertNotEquals(frontend.id(), response.getString("frontend_id"));

      HUB.rabbit().publish(Queues.BROKER_OUTPUT, reply(frontend.id(), "still mine"));
      assertEquals("still mine", frontend.next("REPLY").getString("text_payload"), "the original keeps its deliveries");
    }
  }

  @Test
  void clientThatDoesNotResumeGetsAFreshIdAndNothingOfTheOldOne() throws Exception {
    String oldId;
    try (WsClient frontend = WsClient.register(HUB.port(), "frontend", "Forgetful")) {
      oldId = frontend.id();
    }
    awaitAway(HUB.hub().vertx(), oldId);
    HUB.rabbit().publish(Queues.BROKER_OUTPUT, reply(oldId, "for the old session"));
    awaitParked(HUB.rabbit(), oldId, 1);
    try (WsClient fresh = WsClient.register(HUB.port(), "frontend", "Forgetful")) {
      assertNotEquals(oldId, fresh.id());
      HUB.rabbit().publish(Queues.BROKER_OUTPUT, reply(fresh.id(), "sentinel"));
      assertEquals(List.of("sentinel"),
          replyTexts(fresh.framesUntil(f -> "sentinel".equals(f.getString("text_payload")), WsClient.TIMEOUT)));
    }
    assertEquals(1, HUB.rabbit().readyIn(Queues.resumeQueue(oldId)), "the old session's message still waits for it");
  }

  @Test
  void unknownOrForeignIdsGetAFreshIdWithoutError() throws Exception {
    try (WsClient unknown = WsClient.register(HUB.port(), registration("frontend", "Stranger", "web_0badc0de"));
         WsClient wrongRole = WsClient.register(HUB.port(), registration("frontend", "Confused", "broker_0badc0de"))) {
      assertNotEquals("web_0badc0de", unknown.id());
      assertTrue(unknown.id().startsWith("web_"));
      assertTrue(wrongRole.id().startsWith("web_"), wrongRole.id());
    }
  }

  static JsonObject registration(String role, String name, String previousId) {
    JsonObject registration = new JsonObject().put("message_type", "REGISTER_" + role.toUpperCase())
        .put(role + "_name", name);
    return previousId == null ? registration : registration.put(role + "_id", previousId);
  }

  static JsonObject reply(String receiverId, String text) {
    return new JsonObject().put("message_type", "REPLY").put("message_id", UUID.randomUUID().toString())
        .put("sender_id", "agent_0000abcd").put("receiver_id", receiverId).put("text_payload", text)
        .put("send_timestamp", "2025-04-08T10:00:00").put("_client_id", "agent_0000abcd");
  }

  static List<String> replyTexts(List<JsonObject> frames) {
    return frames.stream().filter(f -> "REPLY".equals(f.getString("message_type")))
        .map(f -> f.getString("text_payload")).toList();
  }

  /** The hub recorded the client away: from now on messages for it wait for it. */
  static void awaitAway(Vertx hubVertx, String clientId) throws Exception {
    Await.until(clientId + " recorded away", WsClient.TIMEOUT, () -> TestHub.await(hubVertx.sharedData()
        .<String, JsonObject>getAsyncMap(SharedDataPresenceStore.AWAY_MAP).compose(map -> map.get(clientId))) != null);
  }

  static void awaitParked(RabbitVhost rabbit, String clientId, int count) throws Exception {
    Await.until(count + " messages parked for " + clientId, WsClient.TIMEOUT,
        () -> rabbit.readyIn(Queues.resumeQueue(clientId)) == count);
  }
}
