package io.agenthub.cluster;

import static io.agenthub.support.Messages.findAgent;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.agenthub.support.Await;
import io.agenthub.support.ClusterNodes;
import io.agenthub.support.ClusterTest;
import io.agenthub.support.Http;
import io.agenthub.support.RabbitVhost;
import io.agenthub.support.TestHub;
import io.agenthub.support.WsClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Protocol extension "live load" in a cluster of two hubs consuming broker_output_queue as competing consumers: each
 * hands some of an agent's questions; the instance holding the agent's socket polls its queue and sees its answers;
 * every instance sums the reports of both, so a client on either sees the same counts, and answers one instance saw
 * to questions the other handed stop counting there.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ClusterTest
class ClusteredAgentLoadTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final int QUESTIONS = 10;
  private RabbitVhost rabbit;
  private TestHub a;
  private TestHub b;

  @BeforeAll
  void startCluster() throws Exception {
    rabbit = RabbitVhost.create("cluster-load");
    List<TestHub> pair = ClusterNodes.startPair(rabbit, new JsonObject().put("PERIODIC_STATUS_INTERVAL", 3600)
        .put("AGENT_LOAD_INTERVAL", 0.2));
    a = pair.get(0);
    b = pair.get(1);
  }

  @AfterAll
  void stopCluster() throws Exception {
    ClusterNodes.stop(rabbit, b, a);
  }

  @Test
  void bothInstancesShowTheSumOfWhatEachHandedAndTheDepthTheHoldingInstancePolled() throws Exception {
    try (WsClient agent = WsClient.register(a.port(), new JsonObject().put("message_type", "REGISTER_AGENT")
            .put("agent_name", "Shared").put("card", new JsonObject().put("max_concurrency", 50)));
         WsClient watcherOnB = WsClient.register(b.port(), new JsonObject().put("message_type", "REGISTER_FRONTEND")
            .put("frontend_name", "WatcherB").put("status_updates", "details"))) {
      detailsOf(watcherOnB, agent.id(), entry -> entry.getBoolean("is_online"));
      List<String> questions = new ArrayList<>();
      for (int i = 0; i < QUESTIONS; i++) {
        questions.add(UUID.randomUUID().toString());
        rabbit.publish("broker_output_queue", new JsonObject().put("message_type", "TEXT")
            .put("message_id", questions.get(i)).put("sender_id", watcherOnB.id()).put("receiver_id", agent.id())
            .put("text_payload", "question " + i));
      }
      detailsOf(watcherOnB, agent.id(), entry -> entry.getJsonObject("load").getInteger("unanswered") == QUESTIONS
          && entry.getJsonObject("load").getInteger("queue_depth", 0) == QUESTIONS);

      for (String question : questions.subList(0, 4)) {
        agent.send(new JsonObject().put("message_type", "REPLY").put("message_id", UUID.randomUUID().toString())
            .put("sender_id", agent.id()).put("receiver_id", watcherOnB.id()).put("text_payload", "answer")
            .put("in_reply_to_message_id", question));
      }
      detailsOf(watcherOnB, agent.id(), entry -> entry.getJsonObject("load").getInteger("unanswered") == 6);
      Await.until("instance A shows the same count", WAIT, () -> findAgent(Http.getJson(a.port(), "/api/agents")
          .getJsonArray("agents"), agent.id()).getJsonObject("load").getInteger("unanswered") == 6);
      JsonArray onA = Http.getJson(a.port(), "/api/agents").getJsonArray("agents");
      assertEquals(QUESTIONS, findAgent(onA, agent.id()).getJsonObject("load").getInteger("queue_depth"),
          "nothing consumes the agent's queue");
    }
  }

  private static JsonObject detailsOf(WsClient watcher, String agentId, Predicate<JsonObject> wanted)
      throws Exception {
    JsonObject[] found = new JsonObject[1];
    watcher.next(frame -> {
      JsonObject entry = "AGENT_STATUS_UPDATE".equals(frame.getString("message_type"))
          ? findAgent(frame.getJsonArray("agents"), agentId) : null;
      if (entry != null && wanted.test(entry)) {
        found[0] = entry;
        return true;
      }
      return false;
    }, WAIT);
    return found[0];
  }
}
