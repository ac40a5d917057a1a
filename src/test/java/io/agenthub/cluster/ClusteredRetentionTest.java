package io.agenthub.cluster;

import static io.agenthub.support.Messages.statusShows;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.agenthub.support.Await;
import io.agenthub.support.ClusterNodes;
import io.agenthub.support.ClusterTest;
import io.agenthub.support.RabbitVhost;
import io.agenthub.support.TestHub;
import io.agenthub.support.WsClient;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Forgetting offline agents in a cluster: the record leaves the Hazelcast map and the id is released (conditional
 * removals, with both instances sweeping), and the directory of the instance that did not forget it drops it too.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ClusterTest
class ClusteredRetentionTest {
  private static final JsonObject SETTINGS = new JsonObject()
      .put("MAX_OFFLINE_AGENTS", 1).put("AGENT_INACTIVITY_TIMEOUT", 1).put("REGISTRATION_RATE_LIMIT", 0)
      .put("PERIODIC_STATUS_INTERVAL", 3600);
  private RabbitVhost rabbit;
  private TestHub a;
  private TestHub b;

  @BeforeAll
  void startCluster() throws Exception {
    rabbit = RabbitVhost.create("cluster-retention");
    List<TestHub> pair = ClusterNodes.startPair(rabbit, SETTINGS);
    a = pair.get(0);
    b = pair.get(1);
  }

  @AfterAll
  void stopCluster() throws Exception {
    ClusterNodes.stop(rabbit, b, a);
  }

  @Test
  void theLongestOfflineAgentIsForgottenOnEveryInstanceAndInTheSharedStore() throws Exception {
    try (WsClient brokerOnA = WsClient.register(a.port(), "broker", "WatcherA");
         WsClient brokerOnB = WsClient.register(b.port(), "broker", "WatcherB")) {
      String old = registerAndLeave(brokerOnB, "Old");
      String recent = registerAndLeave(brokerOnB, "Recent");

      Await.until("instance A lists only the most recent offline agent", WsClient.TIMEOUT,
          () -> listedIds(brokerOnA).equals(Set.of(recent)));
      Await.until("instance B lists only the most recent offline agent", WsClient.TIMEOUT,
          () -> listedIds(brokerOnB).equals(Set.of(recent)));
      try (WsClient resumed = WsClient.register(b.port(), new JsonObject().put("message_type", "REGISTER_AGENT")
          .put("agent_name", "Old").put("agent_id", old))) {
        assertNotEquals(old, resumed.id(), "the shared store forgot the id: a resume gets a fresh one");
      }
    }
  }

  private String registerAndLeave(WsClient watcher, String name) throws Exception {
    String id;
    try (WsClient agent = WsClient.register(a.port(), "agent", name)) {
      id = agent.id();
      watcher.next(f -> statusShows(f, id, true), WsClient.TIMEOUT);
    }
    watcher.next(f -> statusShows(f, id, false), WsClient.TIMEOUT);
    return id;
  }

  private static Set<String> listedIds(WsClient broker) throws Exception {
    broker.send(new JsonObject().put("message_type", "REQUEST_AGENT_STATUS"));
    return broker.next("AGENT_STATUS_UPDATE").getJsonArray("agents").stream().map(JsonObject.class::cast)
        .map(agent -> agent.getString("agent_id")).collect(Collectors.toSet());
  }
}
