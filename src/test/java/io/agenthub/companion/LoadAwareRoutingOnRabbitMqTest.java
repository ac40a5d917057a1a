package io.agenthub.companion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agenthub.support.Await;
import io.agenthub.support.HubExtension;
import io.agenthub.support.Integration;
import io.agenthub.support.TestHub;
import io.agenthub.support.WsClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The reference broker routing on skills and load through a real hub and RabbitMQ (protocol extensions "agent cards"
 * and "live load"): a question naming a skill reaches the echo agent that has it; a missing skill is an ERROR naming
 * it; a question whose agent goes offline before answering is sent again to another capable agent, which answers it;
 * and the echo agent answers a question once, however often its idempotency key comes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Integration
class LoadAwareRoutingOnRabbitMqTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @RegisterExtension
  static final HubExtension HUB = HubExtension.perClass("load-routing", new JsonObject()
      .put("AGENT_LOAD_INTERVAL", 0.2));
  private Vertx companions;
  private CompanionSettings settings;
  private BrokerCompanion broker;
  private EchoAgentCompanion translator;
  private EchoAgentCompanion plain;

  @BeforeAll
  void startBrokerAndAgents() throws Exception {
    companions = Vertx.vertx();
    settings = new CompanionSettings("ws://127.0.0.1:" + HUB.port() + "/ws", "127.0.0.1", HUB.rabbit().port(),
        "guest", "guest", HUB.rabbit().name());
    broker = TestHub.await(BrokerCompanion.start(companions, settings, true));
    translator = TestHub.await(EchoAgentCompanion.start(companions, settings,
        EchoOptions.named("Translator").withSkills(List.of("translate")).withConcurrency(4)));
    plain = TestHub.await(EchoAgentCompanion.start(companions, settings, EchoOptions.named("Plain")));
  }

  @AfterAll
  void stopCompanions() throws Exception {
    TestHub.await(translator.stop());
    TestHub.await(plain.stop());
    TestHub.await(broker.stop());
    TestHub.await(companions.close());
  }

  @Test
  void aQuestionNamingASkillIsAnsweredByTheAgentThatHasItAndAMissingSkillIsAnErrorNamingIt() throws Exception {
    try (WsClient frontend = WsClient.register(HUB.port(), "frontend", "Asker")) {
      awaitBrokerSees(translator.agentId());
      for (int i = 0; i < 5; i++) {
        JsonObject reply = ask(frontend, question(frontend, "hello " + i).put("skill", "translate"));
        assertEquals("REPLY", reply.getString("message_type"));
        assertEquals(translator.agentId(), reply.getString("sender_id"));
      }
      JsonObject error = ask(frontend, question(frontend, "SELECT 1").put("skill", "sql"));
      assertEquals("ERROR", error.getString("message_type"));
      assertEquals("No agent with skill \"sql\" is available.", error.getString("text_payload"));
      assertEquals("SKILL_UNAVAILABLE", error.getString("error_code"));
    }
  }

  @Test
  void aQuestionWhoseAgentGoesOfflineBeforeAnsweringIsAnsweredByAnotherCapableAgent() throws Exception {
    try (WsClient frontend = WsClient.register(HUB.port(), "frontend", "Patient")) {
      String questionId;
      JsonObject routed;
      try (WsClient silent = WsClient.register(HUB.port(), new JsonObject().put("message_type", "REGISTER_AGENT")
          .put("agent_name", "Silent").put("card", new JsonObject().put("skills", new JsonArray()
              .add(new JsonObject().put("id", "summarize").put("name", "Summarize")))))) {
        awaitBrokerSees(silent.id());
        JsonObject question = question(frontend, "summarise this").put("skill", "summarize");
        questionId = question.getString("message_id");
        frontend.send(question);
        routed = frontend.next(f -> "TEXT".equals(f.getString("message_type"))
            && questionId.equals(f.getString("message_id")) && silent.id().equals(f.getString("receiver_id")), WAIT);
        assertEquals(questionId, routed.getString("idempotency_key"));
        assertEquals(1, routed.getInteger("attempt"));
        EchoAgentCompanion summarizer = TestHub.await(EchoAgentCompanion.start(companions, settings,
            EchoOptions.named("Summarizer").withSkills(List.of("summarize"))));
        try {
          awaitBrokerSees(summarizer.agentId());
          silent.close();
          JsonObject again = frontend.next(f -> "TEXT".equals(f.getString("message_type"))
              && questionId.equals(f.getString("message_id")) && f.getInteger("attempt", 1) == 2, WAIT);
          assertEquals(summarizer.agentId(), again.getString("receiver_id"));
          assertEquals(questionId, again.getString("idempotency_key"));
          JsonObject answer = frontend.next(f -> "REPLY".equals(f.getString("message_type"))
              && questionId.equals(f.getString("in_reply_to_message_id")), WAIT);
          assertEquals(summarizer.agentId(), answer.getString("sender_id"));
        } finally {
          TestHub.await(summarizer.stop());
        }
      }
    }
  }

  @Test
  void theEchoAgentAnswersAQuestionOnceHoweverOftenItsKeyComes() throws Exception {
    try (WsClient frontend = WsClient.register(HUB.port(), "frontend", "Repeater")) {
      String key = UUID.randomUUID().toString();
      JsonObject first = question(frontend, "once").put("receiver_id", translator.agentId())
          .put("idempotency_key", key).put("attempt", 1);
      JsonObject repeat = first.copy().put("message_id", UUID.randomUUID().toString()).put("attempt", 2);
      JsonObject sentinel = question(frontend, "sentinel").put("receiver_id", translator.agentId());
      for (JsonObject routed : List.of(first, repeat, sentinel)) {
        HUB.rabbit().publish("broker_output_queue", routed);
      }
      List<JsonObject> replies = frontend.framesUntil(f -> "REPLY".equals(f.getString("message_type"))
          && sentinel.getString("message_id").equals(f.getString("in_reply_to_message_id")), WAIT).stream()
          .filter(f -> "REPLY".equals(f.getString("message_type"))).toList();
      assertTrue(replies.stream().anyMatch(r -> first.getString("message_id").equals(r.getString(
          "in_reply_to_message_id"))), "the first is answered");
      assertTrue(replies.stream().noneMatch(r -> repeat.getString("message_id").equals(r.getString(
          "in_reply_to_message_id"))), "the repeat is not: " + replies);
    }
  }

  private static JsonObject ask(WsClient frontend, JsonObject question) throws Exception {
    frontend.send(question);
    String id = question.getString("message_id");
    return frontend.next(f -> ("REPLY".equals(f.getString("message_type"))
        || "ERROR".equals(f.getString("message_type"))) && id.equals(f.getString("in_reply_to_message_id")), WAIT);
  }

  private void awaitBrokerSees(String agentId) throws Exception {
    Await.until("the broker sees " + agentId + " online", WAIT, () -> broker.seesOnline(agentId));
  }

  private static JsonObject question(WsClient frontend, String text) {
    return new JsonObject().put("message_type", "TEXT").put("message_id", UUID.randomUUID().toString())
        .put("sender_id", frontend.id()).put("receiver_id", "server").put("text_payload", text);
  }
}
