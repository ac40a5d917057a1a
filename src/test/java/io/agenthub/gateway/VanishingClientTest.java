package io.agenthub.gateway;

import static io.agenthub.support.Messages.statusShows;
import static io.agenthub.support.Messages.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agenthub.protocol.Queues;
import io.agenthub.support.Await;
import io.agenthub.support.Http;
import io.agenthub.support.HubExtension;
import io.agenthub.support.Integration;
import io.agenthub.support.RabbitVhost;
import io.agenthub.support.RawWebSocket;
import io.agenthub.support.StatusSentinels;
import io.agenthub.support.WsClient;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A client whose connection drops in the middle of a frame is forgotten everywhere, once, and costs nothing else. */
@Integration
class VanishingClientTest {
  @RegisterExtension
  static final HubExtension HUB = HubExtension.perClass("vanishing", new JsonObject()
      .put("PERIODIC_STATUS_INTERVAL", 3600).put("CLIENT_RESUME_WINDOW", 0));

  @Test
  void agentThatVanishesMidFrameGoesOfflineOnceAndIsNoLongerRouted() throws Exception {
    try (WsClient watcher = WsClient.register(HUB.port(), "frontend", "Watcher")) {
      String agentId;
      try (RawWebSocket agent = RawWebSocket.register(HUB.port(), "agent", "Ghost")) {
        agentId = agent.readFrame().getString("agent_id");
        watcher.next(f -> statusShows(f, agentId, true), WsClient.TIMEOUT);
        agent.vanishMidFrame(1000);
      }
      watcher.next(f -> statusShows(f, agentId, false), WsClient.TIMEOUT);
      try (StatusSentinels sentinel = StatusSentinels.registerOn(HUB.port())) {
        assertEquals(List.of(), sentinel.earlierUpdates(watcher), "the departure is announced once");
      }
      HUB.rabbit().publish(Queues.BROKER_OUTPUT, text("still there?").put("sender_id", watcher.id())
          .put("receiver_id", agentId));
      assertEquals("AGENT_OFFLINE", watcher.next("ERROR").getString("error_code"));
      Await.until("only the watcher's socket is left", WsClient.TIMEOUT, () -> sockets() == 1);
    }
  }

  @Test
  void frontendThatVanishesMidFrameIsNoLongerADeliveryTarget() throws Exception {
    String frontendId;
    try (RawWebSocket frontend = RawWebSocket.register(HUB.port(), "frontend", "Ghost UI")) {
      frontendId = frontend.readFrame().getString("frontend_id");
      frontend.vanishMidFrame(1000);
    }
    Await.until("the socket is gone", WsClient.TIMEOUT, () -> sockets() == 0);
    HUB.rabbit().publish(Queues.BROKER_OUTPUT, text("for the ghost").put("message_type", "REPLY")
        .put("receiver_id", frontendId));
    RabbitVhost.Received parked = HUB.rabbit().take(Queues.UNDELIVERABLE, WsClient.TIMEOUT);
    assertTrue(parked.properties().getHeaders().get(Queues.REASON_HEADER).toString().contains("not connected"),
        String.valueOf(parked.properties().getHeaders()));
  }

  private static int sockets() throws Exception {
    return Http.getJson(HUB.port(), "/health/ready").getJsonObject("connections").getInteger("sockets");
  }
}
