package io.agenthub.cluster;

import static io.agenthub.support.Messages.statusShows;
import static io.agenthub.support.Messages.text;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.agenthub.companion.BrokerCompanion;
import io.agenthub.companion.CompanionSettings;
import io.agenthub.companion.EchoAgentCompanion;
import io.agenthub.support.Await;
import io.agenthub.support.ClusterNodes;
import io.agenthub.support.ClusterTest;
import io.agenthub.support.RabbitVhost;
import io.agenthub.support.TestHub;
import io.agenthub.support.WsClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Three instances acting as one hub: a frontend on the first, the reference broker on the second and an echo agent
 * on the third complete round trips, and the two that remain keep doing so once the agent's instance has gone.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ClusterTest
class ThreeInstanceRoundTripTest {
  private final List<TestHub> hubs = new ArrayList<>();
  private RabbitVhost rabbit;
  private Vertx companions;

  @BeforeAll
  void startCluster() throws Exception {
    rabbit = RabbitVhost.create("cluster-three");
    List<Integer> members = List.of(ClusterNodes.freePort(), ClusterNodes.freePort(), ClusterNodes.freePort());
    for (int clusterPort : members) {
      hubs.add(ClusterNodes.startInJvm(rabbit, clusterPort, members,
          new JsonObject().put("MONITOR_ALL_TRAFFIC", false)));
    }
    companions = Vertx.vertx();
  }

  @AfterAll
  void stopCluster() throws Exception {
    TestHub.await(companions.close());
    for (int i = hubs.size() - 1; i >= 0; i--) {
      hubs.get(i).close();
    }
    rabbit.close();
  }

  @Test
  void frontendBrokerAndAgentOnThreeInstancesCompleteRoundTripsAndSurviveTheAgentsInstanceLeaving() throws Exception {
    TestHub frontendHub = hubs.get(0);
    TestHub brokerHub = hubs.get(1);
    TestHub agentHub = hubs.get(2);
    BrokerCompanion broker = TestHub.await(BrokerCompanion.start(companions, settingsFor(brokerHub)));
    EchoAgentCompanion farAgent = TestHub.await(EchoAgentCompanion.start(companions, settingsFor(agentHub), "Far"));
    try (WsClient frontend = WsClient.register(frontendHub.port(), "frontend", "ChatUI")) {
      frontend.next(f -> statusShows(f, farAgent.agentId(), true), WsClient.TIMEOUT);
      awaitBrokerSees(broker, farAgent);
      for (int i = 0; i < 10; i++) {
        assertEquals(farAgent.agentId(), askAndAwaitReply(frontend, "round " + i).getString("sender_id"));
      }

      hubs.remove(agentHub);
      agentHub.close();
      frontend.next(f -> statusShows(f, farAgent.agentId(), false), WsClient.TIMEOUT);
      EchoAgentCompanion nearAgent =
          TestHub.await(EchoAgentCompanion.start(companions, settingsFor(frontendHub), "Near"));
      frontend.next(f -> statusShows(f, nearAgent.agentId(), true), WsClient.TIMEOUT);
      awaitBrokerSees(broker, nearAgent);
      assertEquals(nearAgent.agentId(), askAndAwaitReply(frontend, "still there?").getString("sender_id"),
          "the two remaining instances still complete round trips");
    }
  }

  /**
   * Each instance delivers a status change to its own clients, so the broker on another instance may learn of an
   * agent a moment after the frontend does; a question sent in between rightly gets "No agent is available".
   */
  private static void awaitBrokerSees(BrokerCompanion broker, EchoAgentCompanion agent) throws Exception {
    Await.until("the broker sees " + agent.agentId() + " online", WsClient.TIMEOUT,
        () -> broker.seesOnline(agent.agentId()));
  }

  private JsonObject askAndAwaitReply(WsClient frontend, String question) throws Exception {
    JsonObject message = text(question).put("sender_id", frontend.id());
    frontend.send(message);
    JsonObject reply = frontend.next(f -> "REPLY".equals(f.getString("message_type"))
        && message.getString("message_id").equals(f.getString("in_reply_to_message_id")), WsClient.TIMEOUT);
    assertEquals("Echo: " + question, reply.getString("text_payload"));
    return reply;
  }

  private CompanionSettings settingsFor(TestHub hub) {
    return new CompanionSettings("ws://127.0.0.1:" + hub.port() + "/ws", "127.0.0.1", 5672, "guest", "guest",
        rabbit.name());
  }
}
