package io.agenthub.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agenthub.protocol.Queues;
import io.agenthub.bus.Addresses;
import io.agenthub.presence.SharedDataPresenceStore;
import io.agenthub.support.Await;
import io.agenthub.support.ClusterNodes;
import io.agenthub.support.ClusterTest;
import io.agenthub.support.HubProcess;
import io.agenthub.support.RabbitVhost;
import io.agenthub.support.TestHub;
import io.agenthub.support.WsClient;
import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Protocol extension "session resume" in a cluster: the away record and the resume queue are shared, so a frontend
 * takes its session back on another instance, also after the instance that held its socket was killed. A message the
 * frontend got before its socket closed (on an instance that closed it itself) and that is routed again while it is
 * away is not written again on the other instance: the delivery keys travel in the away record.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ClusterTest
class SessionResumeClusterTest {
  private static final Duration DEPARTURE_NOTICED = Duration.ofSeconds(30);
  private static final JsonObject SETTINGS = new JsonObject()
      .put("PERIODIC_STATUS_INTERVAL", 3600)
      .put("MONITOR_ALL_TRAFFIC", false);
  private RabbitVhost rabbit;

  @BeforeAll
  void createVhost() throws Exception {
    rabbit = RabbitVhost.create("cluster-resume");
  }

  @AfterAll
  void deleteVhost() throws Exception {
    rabbit.close();
  }

  @Test
  void frontendThatLeftOneInstanceResumesOnAnotherWithEverythingMissedFirst() throws Exception {
    int portA = ClusterNodes.freePort();
    int portB = ClusterNodes.freePort();
    List<Integer> members = List.of(portA, portB);
    try (TestHub a = ClusterNodes.startInJvm(rabbit, portA, members, SETTINGS);
         TestHub b = ClusterNodes.startInJvm(rabbit, portB, members, SETTINGS)) {
      Await.until("both instances consume " + Queues.BROKER_OUTPUT, WsClient.TIMEOUT,
          () -> rabbit.consumerCount(Queues.BROKER_OUTPUT) == 2);
      String frontendId;
      JsonObject seen;
      try (WsClient onA = WsClient.register(a.port(), "frontend", "Roamer")) {
        frontendId = onA.id();
        seen = receive(onA, reply(frontendId, "seen on A"));
      }
      awaitAway(b, frontendId);
      parkAgain(seen, frontendId);
      assertResumesWithBacklog(b, frontendId, 1, 6);
    }
  }

  @Test
  void frontendOfAKilledInstanceResumesOnASurvivorWithEverythingMissedFirst() throws Exception {
    int victimPort = ClusterNodes.freePort();
    int survivorPort = ClusterNodes.freePort();
    List<Integer> members = List.of(victimPort, survivorPort);
    try (HubProcess victim = HubProcess.startClustered("resume-victim", rabbit, victimPort, members, SETTINGS.copy()
            .put("LOG_LEVEL", "INFO"));
         TestHub survivor = ClusterNodes.startInJvm(rabbit, survivorPort, members,
             SETTINGS.copy().put("LOG_LEVEL", "INFO"))) {
      awaitBackedUp(survivor);
      String frontendId;
      try (WsClient onVictim = WsClient.register(victim.port(), "frontend", "Stranded")) {
        frontendId = onVictim.id();
        victim.kill();
      }
      Await.until("the survivor took over " + frontendId + " as away", DEPARTURE_NOTICED,
          () -> isAway(survivor, frontendId));
      Await.until("only the survivor consumes " + Queues.BROKER_OUTPUT, WsClient.TIMEOUT,
          () -> rabbit.consumerCount(Queues.BROKER_OUTPUT) == 1);
      // Until the survivor's event bus has dropped the dead member's registrations, a message for the stranded
      // client goes to the dead member and times out (then it is dead-lettered, as docs/protocol.md says).
      Await.until("the survivor's event bus no longer routes " + frontendId + " to the dead member", DEPARTURE_NOTICED,
          () -> hasNoHandlers(survivor, frontendId));
      assertResumesWithBacklog(survivor, frontendId, 4);
    }
  }

  @Test
  void frontendOfAStoppedInstanceResumesOnASurvivorWithEverythingMissedFirst() throws Exception {
    int survivorPort = ClusterNodes.freePort();
    int leaverPort = ClusterNodes.freePort();
    List<Integer> members = List.of(survivorPort, leaverPort);
    try (TestHub survivor = ClusterNodes.startInJvm(rabbit, survivorPort, members, SETTINGS);
         HubProcess leaver = HubProcess.startClustered("resume-leaver", rabbit, leaverPort, members, SETTINGS)) {
      awaitBackedUp(survivor);
      String frontendId;
      JsonObject seen;
      try (WsClient onLeaver = WsClient.register(leaver.port(), "frontend", "Evicted")) {
        frontendId = onLeaver.id();
        seen = receive(onLeaver, reply(frontendId, "seen before the stop"));
        leaver.terminate();
        assertEquals(1001, onLeaver.awaitClose());
      }
      assertTrue(leaver.log().contains("Agent Hub stopped"), "the instance stopped cleanly:\n" + leaver.log());
      Await.until("only the survivor consumes " + Queues.BROKER_OUTPUT, WsClient.TIMEOUT,
          () -> rabbit.consumerCount(Queues.BROKER_OUTPUT) == 1);
      awaitAway(survivor, frontendId);
      parkAgain(seen, frontendId);
      assertResumesWithBacklog(survivor, frontendId, 1, 3);
    }
  }

  /**
   * Messages published while the client is away wait for it; on resume they come first, in the order they were
   * parked, then live ones. Each is parked before the next is published: instances consume broker_output_queue as
   * competing consumers, so messages that two of them route at the same moment have no order between them.
   */
  private void assertResumesWithBacklog(TestHub resumeAt, String frontendId, int missed) throws Exception {
    assertResumesWithBacklog(resumeAt, frontendId, 0, missed);
  }

  /** {@code parkedBefore} messages the frontend already had wait in its resume queue too: they are not written. */
  private void assertResumesWithBacklog(TestHub resumeAt, String frontendId, int parkedBefore, int missed)
      throws Exception {
    for (int i = 0; i < missed; i++) {
      rabbit.publish(Queues.BROKER_OUTPUT, reply(frontendId, "missed " + i));
      long parked = parkedBefore + i + 1;
      Await.until(parked + " messages parked", WsClient.TIMEOUT,
          () -> rabbit.readyIn(Queues.resumeQueue(frontendId)) == parked);
    }
    try (WsClient back = WsClient.connect(resumeAt.port())) {
      back.send(new JsonObject().put("message_type", "REGISTER_FRONTEND").put("frontend_name", "Back")
          .put("frontend_id", frontendId));
      assertEquals(frontendId, back.next("REGISTER_FRONTEND_RESPONSE").getString("frontend_id"));
      rabbit.publish(Queues.BROKER_OUTPUT, reply(frontendId, "live"));
      List<String> replies = back.framesUntil(f -> "live".equals(f.getString("text_payload")), WsClient.TIMEOUT)
          .stream().filter(f -> "REPLY".equals(f.getString("message_type")))
          .map(f -> f.getString("text_payload")).toList();
      List<String> expected = new java.util.ArrayList<>();
      for (int i = 0; i < missed; i++) {
        expected.add("missed " + i);
      }
      expected.add("live");
      assertEquals(expected, replies, "everything missed first, in order, once");
      back.send(new JsonObject().put("message_type", "PING"));
      assertEquals(0, back.framesUntil(f -> "PONG".equals(f.getString("message_type")), WsClient.TIMEOUT).stream()
          .filter(f -> "REPLY".equals(f.getString("message_type"))).count(), "no second copy");
    }
    assertEquals(0, rabbit.messageCount(Queues.UNDELIVERABLE), "nothing was dead-lettered");
  }

  /** Routes a message to the frontend and waits until its socket has it. */
  private JsonObject receive(WsClient frontend, JsonObject message) throws Exception {
    rabbit.publish(Queues.BROKER_OUTPUT, message);
    frontend.next(f -> message.getString("message_id").equals(f.getString("message_id")), WsClient.TIMEOUT);
    return message;
  }

  /** The same bytes routed again while the frontend is away, as a redelivery after a lost ack would be: parked. */
  private void parkAgain(JsonObject message, String frontendId) throws Exception {
    rabbit.publish(Queues.BROKER_OUTPUT, message);
    Await.until("the repeat is parked", WsClient.TIMEOUT, () -> rabbit.readyIn(Queues.resumeQueue(frontendId)) == 1);
  }

  /**
   * Hazelcast assigns the backups of a new member's partitions a moment after it joined; a record written before and
   * held only by the member that is then killed would die with it.
   */
  private static void awaitBackedUp(TestHub member) throws Exception {
    HazelcastInstance hazelcast = ((HazelcastClusterManager) ((VertxInternal) member.vertx()).clusterManager())
        .getHazelcastInstance();
    Await.until("every partition of the cluster has its backup", WsClient.TIMEOUT,
        () -> hazelcast.getCluster().getMembers().size() == 2 && hazelcast.getPartitionService().isClusterSafe());
  }

  private void awaitAway(TestHub hub, String clientId) throws Exception {
    Await.until(clientId + " recorded away", WsClient.TIMEOUT, () -> isAway(hub, clientId));
  }

  private static boolean hasNoHandlers(TestHub hub, String clientId) throws Exception {
    try {
      TestHub.await(hub.vertx().eventBus().request(Addresses.client(clientId), "",
          new DeliveryOptions().setSendTimeout(1_000)));
      return false;
    } catch (ExecutionException e) {
      return e.getCause() instanceof ReplyException reply && reply.failureType() == ReplyFailure.NO_HANDLERS;
    }
  }

  private static boolean isAway(TestHub hub, String clientId) throws Exception {
    return TestHub.await(hub.vertx().sharedData().<String, JsonObject>getAsyncMap(SharedDataPresenceStore.AWAY_MAP)
        .compose(away -> away.get(clientId))) != null;
  }

  private static JsonObject reply(String receiverId, String text) {
    return new JsonObject().put("message_type", "REPLY").put("message_id", UUID.randomUUID().toString())
        .put("sender_id", "agent_0000abcd").put("receiver_id", receiverId).put("text_payload", text)
        .put("send_timestamp", "2025-04-08T10:00:00");
  }
}
