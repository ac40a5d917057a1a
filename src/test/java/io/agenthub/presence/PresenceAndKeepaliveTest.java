package io.agenthub.presence;

import static io.agenthub.support.Messages.statusShows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agenthub.support.HubExtension;
import io.agenthub.support.Integration;
import io.agenthub.support.WsClient;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** PING/PONG, inactivity timeout, heartbeats and periodic status, with intervals shortened through configuration. */
@Integration
class PresenceAndKeepaliveTest {
  private static final Duration INACTIVITY = Duration.ofMillis(800);
  @RegisterExtension
  static final HubExtension HUB = HubExtension.perClass("presence", new JsonObject()
        .put("AGENT_PING_INTERVAL", 0.2)
        .put("AGENT_INACTIVITY_TIMEOUT", INACTIVITY.toMillis() / 1000.0)
        .put("SERVER_HEARTBEAT_INTERVAL", 0.3)
        .put("PERIODIC_STATUS_INTERVAL", 0.5));

  @Test
  void agentsThatAnswerPingsStayOnline() throws Exception {
    try (WsClient frontend = WsClient.register(HUB.port(), "frontend", "Watcher");
         WsClient agent = WsClient.register(HUB.port(), "agent", "Diligent")) {
      long until = System.nanoTime() + INACTIVITY.multipliedBy(3).toNanos();
      int pings = 0;
      while (System.nanoTime() < until) {
        agent.next("PING");
        pings++;
        agent.send(new JsonObject().put("message_type", "PONG").put("agent_id", agent.id())
            .put("agent_name", "Diligent"));
      }
      assertTrue(pings >= 5, "pinged every 0.2 s, got " + pings);
      assertTrue(frontend.collect(f -> statusShows(f, agent.id(), false), Duration.ofMillis(1)).isEmpty(),
          "never reported offline while answering");
    }
  }

  @Test
  void anIdWhoseSilentSocketIsStillOpenCannotBeResumed() throws Exception {
    try (WsClient frontend = WsClient.register(HUB.port(), "frontend", "Watcher");
         WsClient silent = WsClient.register(HUB.port(), "agent", "Silent");
         WsClient claimant = WsClient.connect(HUB.port())) {
      frontend.next(f -> statusShows(f, silent.id(), false), WsClient.TIMEOUT);
      claimant.send(new JsonObject().put("message_type", "REGISTER_AGENT").put("agent_name", "Silent")
          .put("agent_id", silent.id()));
      assertEquals("AGENT_ID_IN_USE", claimant.next().getString("error_code"),
          "two open sockets must never share one agent id");
    }
  }

  @Test
  void silentAgentGoesOfflineThenPongBringsItBack() throws Exception {
    try (WsClient frontend = WsClient.register(HUB.port(), "frontend", "Watcher");
         WsClient agent = WsClient.register(HUB.port(), "agent", "Silent")) {
      frontend.next(f -> statusShows(f, agent.id(), true), WsClient.TIMEOUT);
      long silentSince = System.nanoTime();
      frontend.next(f -> statusShows(f, agent.id(), false), WsClient.TIMEOUT);
      assertTrue(System.nanoTime() - silentSince >= INACTIVITY.toNanos() - Duration.ofMillis(100).toNanos(),
          "not marked offline before the inactivity timeout");
      assertTrue(agent.isOpen(), "an inactive agent keeps its socket");
      agent.send(new JsonObject().put("message_type", "PONG").put("agent_id", agent.id()).put("agent_name", "Silent"));
      frontend.next(f -> statusShows(f, agent.id(), true), WsClient.TIMEOUT);
    }
  }

  @Test
  void everyRoleGetsServerHeartbeatsButOnlyAgentsArePinged() throws Exception {
    try (WsClient frontend = WsClient.register(HUB.port(), "frontend", "F");
         WsClient broker = WsClient.register(HUB.port(), "broker", "B");
         WsClient agent = WsClient.register(HUB.port(), "agent", "A")) {
      for (WsClient client : new WsClient[] {frontend, broker, agent}) {
        JsonObject heartbeat = client.next("SERVER_HEARTBEAT");
        assertEquals("server", heartbeat.getString("sender_id"));
        assertTrue(heartbeat.getString("timestamp").matches("\\d{4}-\\d\\d-\\d\\dT.*"));
      }
      agent.next("PING");
      assertTrue(frontend.collect(f -> "PING".equals(f.getString("message_type")), Duration.ofMillis(500)).isEmpty());
      assertTrue(broker.collect(f -> "PING".equals(f.getString("message_type")), Duration.ofMillis(1)).isEmpty());
    }
  }

  @Test
  void brokerPongIsAcceptedSilently() throws Exception {
    try (WsClient broker = WsClient.register(HUB.port(), "broker", "Ponger")) {
      broker.next("SERVER_HEARTBEAT");
      broker.send(new JsonObject().put("message_type", "PONG"));
      assertTrue(broker.collect(f -> "ERROR".equals(f.getString("message_type")), Duration.ofMillis(500)).isEmpty());
    }
  }

  @Test
  void fullStatusIsSentPeriodically() throws Exception {
    try (WsClient frontend = WsClient.register(HUB.port(), "frontend", "Periodic")) {
      frontend.next("AGENT_STATUS_UPDATE");
      for (int i = 0; i < 2; i++) {
        assertTrue(frontend.next("AGENT_STATUS_UPDATE").getBoolean("is_full_update"));
      }
    }
  }

  @Test
  void disconnectedAgentStaysListedAsOffline() throws Exception {
    try (WsClient frontend = WsClient.register(HUB.port(), "frontend", "Historian")) {
      String agentId;
      try (WsClient agent = WsClient.register(HUB.port(), "agent", "Leaver")) {
        agentId = agent.id();
        frontend.next(f -> statusShows(f, agentId, true), WsClient.TIMEOUT);
      }
      frontend.next(f -> statusShows(f, agentId, false), WsClient.TIMEOUT);
      JsonObject later = frontend.next("AGENT_STATUS_UPDATE");
      assertTrue(statusShows(later, agentId, false), "still listed in later full updates");
    }
  }
}
