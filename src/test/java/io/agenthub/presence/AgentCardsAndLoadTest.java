package io.agenthub.presence;

import static io.agenthub.support.Messages.findAgent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agenthub.support.Http;
import io.agenthub.support.HubExtension;
import io.agenthub.support.Integration;
import io.agenthub.support.WsClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Protocol extensions "agent cards" and "live load" on a whole hub and RabbitMQ: a card given at registration and
 * replaced, the hub's own measures (questions handed and unanswered, the queue's depth as RabbitMQ reports it) and an
 * agent's PONG figures, the grades they make, as a client that asked for details sees them and as
 * {@code GET /api/agents} lists them; and a contract client that sees none of it.
 */
@Integration
class AgentCardsAndLoadTest {
  private static final Set<String> CONTRACT_ENTRY = Set.of("agent_id", "agent_name", "is_online", "last_seen");
  private static final Duration WAIT = Duration.ofSeconds(20);

  @RegisterExtension
  static final HubExtension HUB = HubExtension.perClass("agent-cards", new JsonObject()
      .put("AGENT_LOAD_INTERVAL", 0.2).put("AGENT_STALE_AFTER", 2).put("PERIODIC_STATUS_INTERVAL", 3600));

  @Test
  void aCardReachesDetailsClientsAndTheApiButNoContractClient() throws Exception {
    try (WsClient classic = WsClient.register(HUB.port(), "frontend", "Classic");
         WsClient watcher = registerWatcher();
         WsClient agent = WsClient.register(HUB.port(), agentRegistration("Translator", card("translate", 2)))) {
      JsonObject seen = detailsOf(watcher, agent.id(), entry -> entry.containsKey("card"));
      assertEquals("available", seen.getString("grade"));
      assertEquals("translate", seen.getJsonObject("card").getJsonArray("skills").getJsonObject(0).getString("id"));
      assertEquals(0, seen.getJsonObject("load").getInteger("unanswered"));

      agent.send(new JsonObject().put("message_type", "AGENT_CARD_UPDATE").put("card", card("summarize", 3)));
      assertEquals(3, agent.next("AGENT_CARD_UPDATED").getJsonObject("card").getInteger("max_concurrency"));
      detailsOf(watcher, agent.id(), entry -> entry.getJsonObject("card").getInteger("max_concurrency") == 3);

      String sentinelId;
      try (WsClient sentinel = WsClient.register(HUB.port(), "agent", "Sentinel")) {
        sentinelId = sentinel.id();
        JsonObject update = classic.next(f -> "AGENT_STATUS_UPDATE".equals(f.getString("message_type"))
            && findAgent(f.getJsonArray("agents"), sentinelId) != null, WAIT);
        assertContractOnly(update);
        assertEquals(agent.id(), findAgent(update.getJsonArray("agents"), agent.id()).getString("agent_id"));
        JsonObject api = find(Http.getJson(HUB.port(), "/api/agents").getJsonArray("agents"), agent.id());
        assertEquals("summarize", api.getJsonObject("card").getJsonArray("skills").getJsonObject(0).getString("id"));
        assertEquals(404, Http.get(HUB.port(), "/api/agents/" + sentinelId + "/card").statusCode(), "no card");
      }

      JsonObject a2a = Http.getJson(HUB.port(), "/api/agents/" + agent.id() + "/card");
      assertEquals("Translator", a2a.getString("name"));
      assertEquals("summarize", a2a.getJsonArray("skills").getJsonObject(0).getString("id"));
      assertTrue(a2a.getJsonObject("capabilities").getBoolean("streaming"), "it registered with streams");
      assertEquals(404, Http.get(HUB.port(), "/api/agents/agent_00000000/card").statusCode(), "unknown agent");
    }
  }

  @Test
  void questionsHandedAndUnansweredAndTheQueuesDepthGradeAnAgentBusyThenStaleAndAnswersAndFiguresShow()
      throws Exception {
    try (WsClient classic = WsClient.register(HUB.port(), "frontend", "Classic");
         WsClient watcher = registerWatcher();
         WsClient agent = WsClient.register(HUB.port(), agentRegistration("Slow", card("translate", 2)))) {
      detailsOf(watcher, agent.id(), entry -> "available".equals(entry.getString("grade")));
      String[] questions = new String[3];
      for (int i = 0; i < questions.length; i++) {
        questions[i] = UUID.randomUUID().toString();
        HUB.rabbit().publish("broker_output_queue", new JsonObject().put("message_type", "TEXT")
            .put("message_id", questions[i]).put("sender_id", watcher.id()).put("receiver_id", agent.id())
            .put("text_payload", "question " + i));
      }
      JsonObject busy = detailsOf(watcher, agent.id(), entry -> "busy".equals(entry.getString("grade"))
          && entry.getJsonObject("load").getInteger("unanswered") == 3
          && entry.getJsonObject("load").getInteger("queue_depth", 0) == 3);
      assertNull(busy.getJsonObject("load").getValue("latency_ms"), "nothing answered yet");
      detailsOf(watcher, agent.id(), entry -> "stale".equals(entry.getString("grade")));

      agent.send(new JsonObject().put("message_type", "REPLY").put("message_id", UUID.randomUUID().toString())
          .put("sender_id", agent.id()).put("receiver_id", watcher.id()).put("text_payload", "answer 0")
          .put("in_reply_to_message_id", questions[0]));
      agent.send(new JsonObject().put("message_type", "PONG").put("agent_id", agent.id())
          .put("load", new JsonObject().put("tasks_in_progress", 1).put("tokens_per_second", 12.5)));
      JsonObject answered = detailsOf(watcher, agent.id(), entry -> entry.getJsonObject("load")
          .getInteger("unanswered") == 2 && entry.getJsonObject("load").containsKey("tokens_per_second"));
      assertEquals("busy", answered.getString("grade"), "an answer just came, and two still wait for it (of 2)");
      assertNotNull(answered.getJsonObject("load").getLong("latency_ms"));
      assertEquals(1, answered.getJsonObject("load").getInteger("tasks_in_progress"));
      JsonObject listed = find(Http.getJson(HUB.port(), "/api/agents").getJsonArray("agents"), agent.id());
      assertEquals(2, listed.getJsonObject("load").getInteger("unanswered"));

      String sentinelId;
      try (WsClient sentinel = WsClient.register(HUB.port(), "agent", "Sentinel")) {
        sentinelId = sentinel.id();
      }
      JsonObject first;
      do {
        first = classic.next("AGENT_STATUS_UPDATE");
        assertContractOnly(first);
      } while (findAgent(first.getJsonArray("agents"), sentinelId) == null);
      assertTrue(findAgent(first.getJsonArray("agents"), sentinelId).getBoolean("is_online"),
          "the sentinel's registration is the first update after the agent's own: none for its load");
    }
  }

  private static void assertContractOnly(JsonObject update) {
    assertTrue(update.getBoolean("is_full_update"));
    assertFalse(update.containsKey("seq"));
    for (Object entry : update.getJsonArray("agents")) {
      assertEquals(CONTRACT_ENTRY, ((JsonObject) entry).fieldNames(), "the contract's entry: " + entry);
    }
  }

  /** The entry of the agent in the next status update to the watcher that satisfies {@code wanted}. */
  private static JsonObject detailsOf(WsClient watcher, String agentId, Predicate<JsonObject> wanted)
      throws Exception {
    JsonObject[] found = new JsonObject[1];
    watcher.next(frame -> {
      if (!"AGENT_STATUS_UPDATE".equals(frame.getString("message_type"))) {
        return false;
      }
      JsonObject entry = findAgent(frame.getJsonArray("agents"), agentId);
      if (entry != null && wanted.test(entry)) {
        found[0] = entry;
        return true;
      }
      return false;
    }, WAIT);
    return found[0];
  }

  private static WsClient registerWatcher() throws Exception {
    return WsClient.register(HUB.port(), new JsonObject().put("message_type", "REGISTER_FRONTEND")
        .put("frontend_name", "Watcher").put("status_updates", "details"));
  }

  private static JsonObject agentRegistration(String name, JsonObject card) {
    return new JsonObject().put("message_type", "REGISTER_AGENT").put("agent_name", name).put("streams", true)
        .put("card", card);
  }

  private static JsonObject card(String skill, int maxConcurrency) {
    return new JsonObject().put("description", "A test agent").put("skills", new JsonArray()
        .add(new JsonObject().put("id", skill).put("name", skill))).put("max_concurrency", maxConcurrency);
  }

  private static JsonObject find(JsonArray agents, String agentId) {
    JsonObject entry = findAgent(agents, agentId);
    assertNotNull(entry, agentId + " in " + agents.encode());
    return entry;
  }
}
