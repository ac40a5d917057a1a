package io.agenthub.cluster;

import static io.agenthub.support.Messages.statusShows;
import static io.agenthub.support.Messages.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agenthub.protocol.Queues;
import io.agenthub.support.Await;
import io.agenthub.support.ClusterNodes;
import io.agenthub.support.ClusterTest;
import io.agenthub.support.HubProcess;
import io.agenthub.support.RabbitVhost;
import io.agenthub.support.TestHub;
import io.agenthub.support.WsClient;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * An instance of a two-member cluster that is killed (SIGKILL) or stopped (SIGTERM), as a separate JVM; the survivor
 * runs in this JVM. Both consume broker_output_queue of one RabbitMQ vhost.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ClusterTest
class InstanceFailureTest {
  /** hazelcast.max.no.heartbeat.seconds, set by ClusterSupport. */
  private static final Duration FAILURE_DETECTION = Duration.ofSeconds(5);
  /**
   * A second announcement of a departure would come from a survivor's own handling of the membership event, which
   * nothing a test can send is ordered after: here, unlike elsewhere, only a window shows that none comes.
   */
  private static final Duration QUIET = Duration.ofMillis(1500);
  /**
   * Settings of the instances that die or leave. Their agents answer no PING: a long inactivity timeout makes sure
   * an agent marked offline was marked so because its instance died or left, not by the inactivity sweep.
   */
  private static final JsonObject SETTINGS = new JsonObject()
      .put("AGENT_INACTIVITY_TIMEOUT", 120)
      .put("PERIODIC_STATUS_INTERVAL", 3600)
      .put("MONITOR_ALL_TRAFFIC", false);
  /** The survivors' timeout is short; it must not apply to agents whose socket another instance holds. */
  private static final Duration SURVIVOR_INACTIVITY = Duration.ofMillis(500);
  private static final JsonObject SURVIVOR_SETTINGS = SETTINGS.copy()
      .put("AGENT_INACTIVITY_TIMEOUT", SURVIVOR_INACTIVITY.toMillis() / 1000.0)
      .put("AGENT_PING_INTERVAL", 0.2);
  private RabbitVhost rabbit;

  @BeforeAll
  void createVhost() throws Exception {
    rabbit = RabbitVhost.create("cluster-failure");
  }

  @AfterAll
  void deleteVhost() throws Exception {
    rabbit.close();
  }

  /**
   * The victim is the oldest of three members, so the cleanup after it is the next oldest's job, and the other
   * survivor must not repeat the announcement.
   */
  @Test
  void killedInstanceIsDetectedItsAgentsGoOfflineAndItsUnackedMessagesAreRedelivered() throws Exception {
    int victimPort = ClusterNodes.freePort();
    int survivorPort = ClusterNodes.freePort();
    int otherSurvivorPort = ClusterNodes.freePort();
    List<Integer> members = List.of(victimPort, survivorPort, otherSurvivorPort);
    try (HubProcess victim = HubProcess.startClustered("victim", rabbit, victimPort, members, SETTINGS.copy()
            .put("LOG_LEVEL", "INFO"));
         TestHub survivor = ClusterNodes.startInJvm(rabbit, survivorPort, members, SURVIVOR_SETTINGS);
         TestHub otherSurvivor = ClusterNodes.startInJvm(rabbit, otherSurvivorPort, members, SURVIVOR_SETTINGS);
         WsClient frontend = WsClient.register(survivor.port(), "frontend", "SurvivorUi");
         WsClient otherFrontend = WsClient.register(otherSurvivor.port(), "frontend", "OtherSurvivorUi");
         WsClient agent = WsClient.register(victim.port(), "agent", "Doomed")) {
      frontend.next(f -> statusShows(f, agent.id(), true), WsClient.TIMEOUT);
      otherFrontend.next(f -> statusShows(f, agent.id(), true), WsClient.TIMEOUT);
      Await.until("all three instances consume " + Queues.BROKER_OUTPUT, WsClient.TIMEOUT,
          () -> rabbit.consumerCount(Queues.BROKER_OUTPUT) == 3);

      // Frozen, the victim still receives its round-robin share but can acknowledge none of it.
      signal(victim, "STOP");
      int count = 20;
      for (int i = 0; i < count; i++) {
        rabbit.publish(Queues.BROKER_OUTPUT, text("reply " + i).put("message_type", "REPLY")
            .put("sender_id", "agent_0000abcd").put("receiver_id", frontend.id()));
      }
      Await.until("the frozen victim holds messages unacknowledged", WsClient.TIMEOUT,
          () -> rabbit.messageCount(Queues.BROKER_OUTPUT) == 0 && rabbit.unacknowledged(Queues.BROKER_OUTPUT) > 0);
      long killedAt = System.nanoTime();
      victim.kill();

      Set<String> replies = new HashSet<>();
      Duration offlineAfter = null;
      int offlineUpdates = 0;
      long deadline = killedAt + Duration.ofSeconds(30).toNanos();
      while (replies.size() < count || offlineAfter == null) {
        JsonObject frame = frontend.frame(Duration.ofNanos(deadline - System.nanoTime()));
        assertNotNull(frame, "within 30 s of the kill: " + replies.size() + " of " + count + " replies, agent offline "
            + (offlineAfter != null ? "after " + offlineAfter : "never"));
        if ("REPLY".equals(frame.getString("message_type"))) {
          replies.add(frame.getString("text_payload"));
        } else if (statusShows(frame, agent.id(), false)) {
          offlineUpdates++;
          offlineAfter = offlineAfter != null ? offlineAfter : Duration.ofNanos(System.nanoTime() - killedAt);
        }
      }
      assertTrue(offlineAfter.compareTo(FAILURE_DETECTION.plusSeconds(3)) < 0,
          "the dead instance's agent was marked offline after " + offlineAfter);
      assertEquals(0, rabbit.messageCount(Queues.UNDELIVERABLE), "nothing was dead-lettered");
      otherFrontend.next(f -> statusShows(f, agent.id(), false), WsClient.TIMEOUT);
      offlineUpdates += frontend.collect(f -> statusShows(f, agent.id(), false), QUIET).size();
      assertEquals(1, offlineUpdates, "the death was announced once to " + frontend.id());
      assertTrue(otherFrontend.collect(f -> statusShows(f, agent.id(), false), Duration.ofMillis(200)).isEmpty(),
          "the death was announced once to " + otherFrontend.id());

      try (WsClient resumed = WsClient.connect(survivor.port())) {
        resumed.send(new JsonObject().put("message_type", "REGISTER_AGENT").put("agent_name", "Doomed")
            .put("agent_id", agent.id()));
        assertEquals(agent.id(), resumed.next("REGISTER_AGENT_RESPONSE").getString("agent_id"),
            "the agent takes its id back on the surviving instance");
        frontend.next(f -> statusShows(f, agent.id(), true), WsClient.TIMEOUT);
      }
    }
  }

  /** The leaver is the youngest member. */
  @Test
  void stoppedInstanceClosesItsSocketsAnnouncesItsAgentsOfflineOnceAndTheClusterKeepsServing() throws Exception {
    int survivorPort = ClusterNodes.freePort();
    int leaverPort = ClusterNodes.freePort();
    List<Integer> members = List.of(survivorPort, leaverPort);
    try (TestHub survivor = ClusterNodes.startInJvm(rabbit, survivorPort, members, SURVIVOR_SETTINGS);
         HubProcess leaver = HubProcess.startClustered("leaver", rabbit, leaverPort, members, SETTINGS.copy()
            .put("LOG_LEVEL", "INFO"));
         WsClient watcher = WsClient.register(survivor.port(), "frontend", "SurvivorUi");
         WsClient agent = WsClient.register(leaver.port(), "agent", "Leaver");
         WsClient otherAgent = WsClient.register(leaver.port(), "agent", "OtherLeaver");
         WsClient frontendThere = WsClient.register(leaver.port(), "frontend", "LeaverUi")) {
      watcher.next(f -> statusShows(f, agent.id(), true) && statusShows(f, otherAgent.id(), true), WsClient.TIMEOUT);
      assertTrue(watcher.collect(f -> statusShows(f, agent.id(), false), SURVIVOR_INACTIVITY.multipliedBy(3)).isEmpty(),
          "only the instance holding the agent's socket judges its inactivity");
      Await.until("both instances consume " + Queues.BROKER_OUTPUT, WsClient.TIMEOUT,
          () -> rabbit.consumerCount(Queues.BROKER_OUTPUT) == 2);

      long stoppedAt = System.nanoTime();
      leaver.terminate();
      assertEquals(1001, agent.awaitClose(), "the agent's socket was closed with 1001");
      assertEquals(1001, frontendThere.awaitClose(), "the frontend's socket was closed with 1001");
      JsonObject departure = watcher.next(
          f -> statusShows(f, agent.id(), false) || statusShows(f, otherAgent.id(), false), WsClient.TIMEOUT);
      Duration offlineAfter = Duration.ofNanos(System.nanoTime() - stoppedAt);
      assertTrue(offlineAfter.compareTo(FAILURE_DETECTION) < 0,
          "announced offline at once, not after failure detection: " + offlineAfter);
      assertTrue(watcher.collect(f -> statusShows(f, agent.id(), false) || statusShows(f, otherAgent.id(), false),
          QUIET).isEmpty(), "the departure was announced once");
      assertTrue(statusShows(departure, otherAgent.id(), false) && statusShows(departure, agent.id(), false),
          "both agents' departure in one update: " + departure);
      assertTrue(leaver.log().contains("Agent Hub stopped"), "the instance stopped cleanly:\n" + leaver.log());

      Await.until("the leaver's AMQP consumer is gone", WsClient.TIMEOUT,
          () -> rabbit.consumerCount(Queues.BROKER_OUTPUT) == 1);
      rabbit.publish(Queues.BROKER_OUTPUT, text("still here").put("sender_id", "agent_0000abcd")
          .put("receiver_id", watcher.id()));
      assertEquals("still here", watcher.next("TEXT").getString("text_payload"), "the survivor keeps routing");
    }
  }

  private static void signal(HubProcess hub, String signal) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(hub.pid())).inheritIO().start();
    assertEquals(0, kill.waitFor(), "kill -" + signal + " " + hub.pid());
  }
}
