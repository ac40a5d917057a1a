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

/** A client that stops reading must not make the hub buffer without bound, nor slow anyone else down. */
@Integration
class SlowClientTest {
  private static final int PAYLOAD_CHARS = 500_000;

  @RegisterExtension
  static final HubExtension HUB = HubExtension.perClass("slow-client", new JsonObject()
      .put("MAX_FRAME_BYTES", 1_048_576).put("CLIENT_RATE_LIMIT", 0).put("CLIENT_MAX_UNREAD_CHARS", 4_194_304)
      .put("WEBSOCKET_STALL_TIMEOUT", 2));

  @Test
  void aFrontendThatStopsReadingIsClosedWhileOthersAreServed() throws Exception {
    try (WsClient agent = WsClient.register(HUB.port(), "agent", "Chatty");
         RawWebSocket stalled = RawWebSocket.registerFrontend(HUB.port(), "Frozen tab")) {
      Await.until("the stalled frontend is registered", WsClient.TIMEOUT, () -> frontends() == 1);
      long limit = HUB.hub().config().integer(Setting.CLIENT_MAX_UNREAD_CHARS);
      int messages = (int) (3 * limit / PAYLOAD_CHARS);
      for (int i = 0; i < messages && frontends() == 1; i++) {
        agent.send(text("x".repeat(PAYLOAD_CHARS)));
      }
      Await.until("the hub closed the frontend that stopped reading", Duration.ofSeconds(30), () -> frontends() == 0);
      agent.send(new JsonObject().put("message_type", "PING"));
      assertEquals("server", agent.next("PONG").getString("sender_id"), "the sender is still served");
      assertTrue(agent.isOpen());
    }
  }

  private static int frontends() throws Exception {
    return Http.getJson(HUB.port(), "/health/ready").getJsonObject("connections").getInteger("frontend");
  }
}
