package io.agenthub.gateway;

import static io.agenthub.support.Messages.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agenthub.config.Setting;
import io.agenthub.support.Await;
import io.agenthub.support.Http;
import io.agenthub.support.HubExtension;
import io.agenthub.support.Integration;
import io.agenthub.support.RawWebSocket;
import io.agenthub.support.WsClient;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * CLIENT_MAX_UNREAD_CHARS measures what a client leaves unread, not the size of the hub's own frames: with a full
 * status list larger than the limit (many agents with names of the longest allowed length), a frontend that reads
 * is served, and one that stops reading is still closed as too slow.
 */
@Integration
class UnreadLimitTest {
  private static final int LIMIT = 65_536;
  private static final int AGENTS = 220;
  private static final int PAYLOAD_CHARS = 60_000;

  @RegisterExtension
  static final HubExtension HUB = HubExtension.perClass("unread-limit", new JsonObject()
      .put("CLIENT_MAX_UNREAD_CHARS", LIMIT).put("REGISTRATION_RATE_LIMIT", 0).put("CLIENT_RATE_LIMIT", 0)
      .put("SERVER_HEARTBEAT_INTERVAL", 3600).put("PERIODIC_STATUS_INTERVAL", 3600).put("AGENT_PING_INTERVAL", 3600)
      .put("AGENT_INACTIVITY_TIMEOUT", 7200)
      .put("WEBSOCKET_STALL_TIMEOUT", 2));

  @Test
  void aReadingFrontendGetsAListLargerThanTheLimitWhileAStalledOneIsClosed() throws Exception {
    int maxName = HUB.hub().config().integer(Setting.MAX_NAME_LENGTH);
    for (int i = 0; i < AGENTS; i++) {
      String name = String.format("%03d", i) + "\uD83D\uDE00".repeat(maxName - 3);
      WsClient.register(HUB.port(), "agent", name).close();
    }
    try (WsClient agent = WsClient.register(HUB.port(), "agent", "Chatty");
         WsClient reader = WsClient.register(HUB.port(), "frontend", "Reader")) {
      JsonObject status = reader.next("AGENT_STATUS_UPDATE");
      assertEquals(AGENTS + 1, status.getJsonArray("agents").size());
      assertTrue(status.encode().length() > LIMIT, "the list alone is over the limit: " + status.encode().length());
      try (RawWebSocket stalled = RawWebSocket.registerFrontend(HUB.port(), "Frozen tab")) {
        Await.until("the stalled frontend is registered", WsClient.TIMEOUT, () -> frontends() == 2);
        for (int i = 0; i < 2_000 && frontends() == 2; i++) {
          JsonObject message = text("x".repeat(PAYLOAD_CHARS));
          agent.send(message);
          String id = message.getString("message_id");
          reader.next(f -> id.equals(f.getString("message_id")), WsClient.TIMEOUT);
        }
        Await.until("the hub closed the frontend that stopped reading", Duration.ofSeconds(30),
            () -> frontends() == 1);
      }
      reader.send(new JsonObject().put("message_type", "PING"));
      assertEquals("server", reader.next("PONG").getString("sender_id"), "the reading frontend is still served");
      assertTrue(reader.isOpen());
    }
  }

  private static int frontends() throws Exception {
    return Http.getJson(HUB.port(), "/health/ready").getJsonObject("connections").getInteger("frontend");
  }
}
