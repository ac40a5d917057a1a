package io.agenthub.cluster;

import static io.agenthub.support.Messages.statusShows;
import static io.agenthub.support.Messages.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agenthub.protocol.Queues;
import io.agenthub.bus.Addresses;
import io.agenthub.config.Setting;
import io.agenthub.presence.SharedDataPresenceStore;
import io.agenthub.support.ClusterNodes;
import io.agenthub.support.ClusterTest;
import io.agenthub.support.Messages;
import io.agenthub.support.RabbitVhost;
import io.agenthub.support.StatusSentinels;
import io.agenthub.support.TestHub;
import io.agenthub.support.WsClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Two clustered hubs in this JVM (each its own Vert.x and Hazelcast member) on one RabbitMQ vhost, both consuming
 * broker_output_queue: delivery crosses instances, presence is one for the cluster, and each status change and each
 * monitoring copy reaches each client once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ClusterTest
class CrossInstanceTest {
  private static final JsonObject SETTINGS = new JsonObject()
      .put("PERIODIC_STATUS_INTERVAL", 3600)
      .put("MONITOR_ALL_TRAFFIC", true);
  private RabbitVhost rabbit;
  private TestHub a;
  private TestHub b;

  @BeforeAll
  void startCluster() throws Exception {
    rabbit = RabbitVhost.create("cluster");
    List<TestHub> pair = ClusterNodes.startPair(rabbit, SETTINGS);
    a = pair.get(0);
    b = pair.get(1);
  }

  @AfterAll
  void stopCluster() throws Exception {
    ClusterNodes.stop(rabbit, b, a);
  }

  @Test
  void chatRoundTripReachesAFrontendWhicheverInstanceConsumedTheReply() throws Exception {
    try (WsClient onA = WsClient.register(a.port(), "frontend", "UiA");
         WsClient onB = WsClient.register(b.port(), "frontend", "UiB")) {
      onB.send(text("hello cluster").put("sender_id", onB.id()));
      JsonObject forwarded = rabbit.takeJson(Queues.BROKER_INPUT, WsClient.TIMEOUT);
      assertNotNull(forwarded, "instance B forwarded the frontend's TEXT to broker_input_queue");
      assertEquals(onB.id(), forwarded.getString("_client_id"));

      // Both instances consume broker_output_queue round-robin, so about half of these cross to the other one.
      int count = 20;
      for (int i = 0; i < count; i++) {
        for (WsClient receiver : new WsClient[] {onA, onB}) {
          rabbit.publish(Queues.BROKER_OUTPUT, text("reply " + i).put("message_type", "REPLY")
              .put("sender_id", "agent_0000abcd").put("receiver_id", receiver.id()).put("_client_id", receiver.id()));
        }
      }
      // Sentinels follow, through both instances too: each sends a receiver whatever it sends of the replies first.
      int sentinels = 2;
      for (int i = 0; i < sentinels; i++) {
        for (WsClient receiver : new WsClient[] {onA, onB}) {
          rabbit.publish(Queues.BROKER_OUTPUT, text("sentinel " + i).put("message_type", "REPLY")
              .put("sender_id", "agent_0000abcd").put("receiver_id", receiver.id()).put("_client_id", receiver.id()));
        }
      }
      for (WsClient receiver : new WsClient[] {onA, onB}) {
        List<JsonObject> replies = new ArrayList<>();
        int sentinelsSeen = 0;
        while (sentinelsSeen < 2 * sentinels) {
          JsonObject reply = receiver.next("REPLY");
          if (reply.getString("text_payload").startsWith("sentinel ")) {
            sentinelsSeen++;
          } else {
            replies.add(reply);
          }
        }
        Set<String> distinct = new HashSet<>();
        replies.forEach(r -> distinct.add(r.getString("receiver_id") + " " + r.getString("text_payload")));
        assertEquals(2 * count, replies.size(),
            receiver.id() + " gets its own replies and one monitoring copy of the other's, each once");
        assertEquals(2 * count, distinct.size(), "no reply twice at " + receiver.id());
        assertEquals(count, replies.stream().filter(r -> receiver.id().equals(r.getString("receiver_id"))).count());
        assertTrue(replies.stream().noneMatch(r -> r.containsKey("_client_id")),
            "internal keys are stripped on every instance");
      }
      assertEquals(0, rabbit.messageCount(Queues.UNDELIVERABLE), "nothing was dead-lettered");
    }
  }

  @Test
  void messageForAClientNoInstanceHoldsIsDeadLettered() throws Exception {
    JsonObject orphan = text("nobody home").put("sender_id", "agent_0000abcd").put("receiver_id", "web_0badf00d");
    rabbit.publish(Queues.BROKER_OUTPUT, orphan);
    RabbitVhost.Received parked = rabbit.take(Queues.UNDELIVERABLE, WsClient.TIMEOUT);
    assertNotNull(parked, "dead-lettered to " + Queues.UNDELIVERABLE);
    assertEquals(orphan, parked.json());
    assertTrue(String.valueOf(parked.properties().getHeaders().get(Queues.REASON_HEADER)).contains("not connected"),
        "reason: " + parked.properties().getHeaders());
  }

  @Test
  void everyWatcherSeesTheAgentsOfEveryInstance() throws Exception {
    try (WsClient agentOnA = WsClient.register(a.port(), "agent", "AlphaA");
         WsClient agentOnB = WsClient.register(b.port(), "agent", "BravoB");
         WsClient frontendOnA = WsClient.register(a.port(), "frontend", "UiA");
         WsClient brokerOnB = WsClient.register(b.port(), "broker", "BrokerB")) {
      assertNotEquals(agentOnA.id(), agentOnB.id());
      for (WsClient watcher : new WsClient[] {frontendOnA, brokerOnB}) {
        JsonObject full = watcher.next("AGENT_STATUS_UPDATE");
        assertTrue(statusShows(full, agentOnA.id(), true) && statusShows(full, agentOnB.id(), true),
            "the first status lists the agents of both instances: " + full);
      }
      brokerOnB.send(new JsonObject().put("message_type", "REQUEST_AGENT_STATUS"));
      JsonObject requested = brokerOnB.next("AGENT_STATUS_UPDATE");
      assertNotNull(Messages.findAgent(requested.getJsonArray("agents"), agentOnA.id()),
          "a broker on B asking for status is told about A's agent");
    }
  }

  @Test
  void eachStatusChangeReachesEachWatcherOnce() throws Exception {
    try (WsClient frontendOnA = WsClient.register(a.port(), "frontend", "UiA");
         WsClient frontendOnB = WsClient.register(b.port(), "frontend", "UiB");
         WsClient brokerOnA = WsClient.register(a.port(), "broker", "BrokerA")) {
      List<WsClient> watchers = List.of(frontendOnA, frontendOnB, brokerOnA);
      for (WsClient watcher : watchers) {
        watcher.next("AGENT_STATUS_UPDATE");
      }
      String agentId;
      try (WsClient agent = WsClient.register(b.port(), "agent", "Once")) {
        agentId = agent.id();
        assertEachSawOnce(watchers, f -> statusShows(f, agentId, true), agentId + " online");
      }
      assertEachSawOnce(watchers, f -> statusShows(f, agentId, false), agentId + " offline");
    }
  }

  /**
   * Announcements from two instances may cross on the way: one of an agent's older status, published on A after the
   * agent's newer one from B, must change nothing anywhere.
   */
  @Test
  void aLateAnnouncementOfAnOlderStatusChangesNothing() throws Exception {
    try (WsClient agent = WsClient.register(b.port(), "agent", "Steady");
         WsClient frontendOnA = WsClient.register(a.port(), "frontend", "UiA");
         WsClient brokerOnB = WsClient.register(b.port(), "broker", "BrokerB")) {
      frontendOnA.next(f -> statusShows(f, agent.id(), true), WsClient.TIMEOUT);
      brokerOnB.next(f -> statusShows(f, agent.id(), true), WsClient.TIMEOUT);

      JsonObject olderStatus = new JsonObject().put("agent_id", agent.id()).put("agent_name", "Steady")
          .put("is_online", false).put("last_seen", "2026-01-01T00:00:00").put("node_id", "gone")
          .put("connected", false).put("revision", 0);
      a.vertx().eventBus().publish(Addresses.PRESENCE_REPLICATION,
          new JsonObject().put("agents", new JsonArray().add(olderStatus)));

      try (StatusSentinels sentinels = StatusSentinels.registerOn(a.port(), b.port())) {
        for (WsClient watcher : new WsClient[] {frontendOnA, brokerOnB}) {
          assertTrue(sentinels.updatesUntilOnline(watcher).stream().noneMatch(f -> statusShows(f, agent.id(), false)),
              "no status update shows the stale offline status at " + watcher.id());
        }
      }
      brokerOnB.send(new JsonObject().put("message_type", "REQUEST_AGENT_STATUS"));
      assertTrue(statusShows(brokerOnB.next("AGENT_STATUS_UPDATE"), agent.id(), true), "still online for B");
      try (WsClient lateFrontendOnA = WsClient.register(a.port(), "frontend", "LateUi")) {
        assertTrue(statusShows(lateFrontendOnA.next("AGENT_STATUS_UPDATE"), agent.id(), true), "still online for A");
      }
    }
  }

  /**
   * A cleanup can be missed: the member due to do it may be stopping itself when another dies. The next departure
   * then cleans up after every instance that is no longer a member, not only the one that just left.
   */
  @Test
  void aDepartureAlsoCleansUpAfterInstancesWhoseCleanupWasMissed() throws Exception {
    JsonObject orphan = new JsonObject().put("agent_id", "agent_0ff1ce00").put("agent_name", "Orphan")
        .put("is_online", true).put("last_seen", "2026-01-01T00:00:00").put("node_id", "a-member-long-gone")
        .put("connected", true).put("revision", 1);
    TestHub.await(a.vertx().sharedData().<String, JsonObject>getAsyncMap(SharedDataPresenceStore.AGENTS_MAP)
        .compose(agents -> agents.put("agent_0ff1ce00", orphan)));
    int portC = ClusterNodes.freePort();
    TestHub c = ClusterNodes.startInJvm(rabbit, portC, List.of(portC, a.config().integer(Setting.CLUSTER_PORT)),
        SETTINGS);
    boolean cLeft = false;
    try (WsClient frontend = WsClient.register(b.port(), "frontend", "UiB")) {
      frontend.next("AGENT_STATUS_UPDATE");
      c.close();
      cLeft = true;
      frontend.next(f -> statusShows(f, "agent_0ff1ce00", false), WsClient.TIMEOUT);
    } finally {
      if (!cLeft) {
        c.close();
      }
    }
  }

  /** Each watcher gets the update, and no second copy of it before sentinels from both instances. */
  private void assertEachSawOnce(List<WsClient> watchers, Predicate<JsonObject> update, String what) throws Exception {
    for (WsClient watcher : watchers) {
      watcher.next(update, WsClient.TIMEOUT);
    }
    try (StatusSentinels sentinels = StatusSentinels.registerOn(a.port(), b.port())) {
      for (WsClient watcher : watchers) {
        assertTrue(sentinels.earlierUpdates(watcher).stream().noneMatch(update),
            "one update announcing " + what + " at " + watcher.id());
      }
      sentinels.closeAndAwaitOffline(watchers);
    }
  }

  @Test
  void anAgentResumesItsIdOnTheOtherInstanceAndIsRoutedThere() throws Exception {
    String agentId;
    try (WsClient agent = WsClient.register(a.port(), "agent", "Wanderer")) {
      agentId = agent.id();
    }
    try (WsClient frontend = WsClient.register(a.port(), "frontend", "UiA");
         WsClient agent = WsClient.connect(b.port())) {
      frontend.next(f -> statusShows(f, agentId, false), WsClient.TIMEOUT);
      agent.send(new JsonObject().put("message_type", "REGISTER_AGENT").put("agent_name", "Wanderer")
          .put("agent_id", agentId));
      assertEquals(agentId, agent.next("REGISTER_AGENT_RESPONSE").getString("agent_id"));
      frontend.next(f -> statusShows(f, agentId, true), WsClient.TIMEOUT);

      JsonObject routed = text("to the wanderer").put("sender_id", frontend.id()).put("receiver_id", agentId)
          .put("_client_id", frontend.id());
      rabbit.publish(Queues.BROKER_OUTPUT, routed);
      assertEquals(routed, rabbit.takeJson(Queues.agentQueue(agentId), WsClient.TIMEOUT),
          "an agent online on B gets its messages in its queue, whichever instance routed them");
    }
    try (WsClient frontend = WsClient.register(b.port(), "frontend", "UiB")) {
      frontend.next(f -> statusShows(f, agentId, false), WsClient.TIMEOUT);
      rabbit.publish(Queues.BROKER_OUTPUT, text("too late").put("sender_id", frontend.id()).put("receiver_id", agentId)
          .put("_client_id", frontend.id()));
      JsonObject error = frontend.next("ERROR");
      assertTrue(error.getString("text_payload").contains("offline"), "told the agent is offline: " + error);
      assertNull(rabbit.takeJson(Queues.agentQueue(agentId), Duration.ofMillis(300)),
          "nothing queued for an offline agent");
    }
  }
}
