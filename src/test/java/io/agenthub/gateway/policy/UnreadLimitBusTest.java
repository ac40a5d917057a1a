package io.agenthub.gateway.policy;

import static io.agenthub.support.Messages.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agenthub.bus.Addresses;
import io.agenthub.bus.MonitorCopy;
import io.agenthub.protocol.ChatMessages;
import io.agenthub.protocol.ClientRole;
import io.agenthub.support.Await;
import io.agenthub.support.GatewayFixture;
import io.agenthub.support.RawWebSocket;
import io.agenthub.support.WsClient;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * CLIENT_MAX_UNREAD_CHARS on the gateway alone measures what a client leaves unread, not the size of the hub's own
 * frames: with a full status list larger than the limit, a frontend that reads is served, and one that stops reading
 * is closed as too slow, which presence hears of. {@code SlowClientTest} checks the limit on a whole hub.
 */
class UnreadLimitBusTest {
  private static final int LIMIT = 65_536;
  private static final int PAYLOAD_CHARS = 60_000;

  @RegisterExtension
  static final GatewayFixture GATEWAY = GatewayFixture.perClass(new JsonObject()
      .put("CLIENT_MAX_UNREAD_CHARS", LIMIT).put("CLIENT_RATE_LIMIT", 0).put("WEBSOCKET_STALL_TIMEOUT", 2));

  @Test
  void aReadingFrontendGetsAListLargerThanTheLimitWhileAStalledOneIsClosed() throws Exception {
    GATEWAY.agents(agentsLongerThan(LIMIT));
    try (WsClient reader = WsClient.register(GATEWAY.port(), "frontend", "Reader")) {
      JsonObject status = reader.next("AGENT_STATUS_UPDATE");
      assertTrue(status.encode().length() > LIMIT, "the list alone is over the limit: " + status.encode().length());
      try (RawWebSocket stalled = RawWebSocket.registerFrontend(GATEWAY.port(), "Frozen tab")) {
        Await.until("presence registered the stalled frontend", WsClient.TIMEOUT,
            () -> GATEWAY.clientIdOf("Frozen tab") != null);
        Future<Void> closed = GATEWAY.disconnected(GATEWAY.clientIdOf("Frozen tab"));
        for (int i = 0; i < 100 && !closed.isComplete(); i++) {
          String id = copyToEveryFrontend("x".repeat(PAYLOAD_CHARS));
          assertNotNull(reader.next(f -> id.equals(f.getString("message_id")), WsClient.TIMEOUT));
        }
        closed.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
      reader.send(new JsonObject().put("message_type", "PING"));
      assertEquals("server", reader.next("PONG").getString("sender_id"), "the reading frontend is still served");
      assertTrue(reader.isOpen());
    }
  }

  /** A monitoring copy of an agent's message; returns once the gateway handed it to every frontend socket. */
  private static String copyToEveryFrontend(String payload) throws Exception {
    JsonObject message = ChatMessages.stampFromClient(text(payload), "agent_00000001", ClientRole.AGENT,
        Instant.parse("2026-01-01T00:00:00Z"));
    GATEWAY.vertx().eventBus().request(Addresses.gatewayMonitors(GatewayFixture.NODE),
            new MonitorCopy(message.encode(), null).toJson())
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    return message.getString("message_id");
  }

  /** Agents with names of the longest allowed length, until their list is longer than {@code chars}. */
  private static JsonArray agentsLongerThan(int chars) {
    JsonArray agents = new JsonArray();
    for (int i = 0; agents.encode().length() <= chars; i++) {
      agents.add(new JsonObject().put("agent_id", String.format("agent_%08x", i))
          .put("agent_name", String.format("%03d", i) + "\uD83D\uDE00".repeat(125)).put("is_online", true)
          .put("last_seen", "2026-01-01T00:00:00"));
    }
    return agents;
  }
}
