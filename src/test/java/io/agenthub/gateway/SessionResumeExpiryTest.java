package io.agenthub.gateway;

import static io.agenthub.gateway.SessionResumeTest.awaitAway;
import static io.agenthub.gateway.SessionResumeTest.registration;
import static io.agenthub.gateway.SessionResumeTest.reply;
import static io.agenthub.gateway.SessionResumeTest.replyTexts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.agenthub.protocol.Queues;
import io.agenthub.presence.SharedDataPresenceStore;
import io.agenthub.support.Await;
import io.agenthub.support.HubExtension;
import io.agenthub.support.Integration;
import io.agenthub.support.RabbitVhost;
import io.agenthub.support.TestHub;
import io.agenthub.support.WsClient;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Protocol extension "session resume" when the client does not come back within a short CLIENT_RESUME_WINDOW. */
@Integration
class SessionResumeExpiryTest {
  @RegisterExtension
  static final HubExtension HUB = HubExtension.perClass("resume-expiry", new JsonObject()
      .put("PERIODIC_STATUS_INTERVAL", 3600).put("CLIENT_RESUME_WINDOW", 1));

  @Test
  void messageForAClientThatDoesNotResumeInTimeIsDeadLetteredWithItsReasonAndItsIdIsReleased() throws Exception {
    String frontendId;
    try (WsClient frontend = WsClient.register(HUB.port(), "frontend", "Gone")) {
      frontendId = frontend.id();
    }
    awaitAway(HUB.hub().vertx(), frontendId);
    JsonObject late = reply(frontendId, "too late");
    HUB.rabbit().publish(Queues.BROKER_OUTPUT, late);

    RabbitVhost.Received dead = HUB.rabbit().take(Queues.UNDELIVERABLE, WsClient.TIMEOUT);
    assertNotNull(dead, "dead-lettered to " + Queues.UNDELIVERABLE + " when the window passed");
    Map<String, Object> headers = dead.properties().getHeaders();
    assertEquals(Queues.NOT_RESUMED_REASON, String.valueOf(headers.get(Queues.REASON_HEADER)), String.valueOf(headers));
    assertEquals(frontendId, String.valueOf(headers.get(Queues.RECEIVER_HEADER)));
    assertEquals("too late", dead.json().getString("text_payload"));
    assertEquals(late.getString("message_id"), dead.json().getString("message_id"));
    assertFalse(dead.json().containsKey("_client_id"), "parked as the client would have received it");

    Await.until(frontendId + " released", WsClient.TIMEOUT, () -> !TestHub.await(HUB.hub().vertx().sharedData()
        .<String, String>getAsyncMap("agenthub.client-ids").compose(ids -> ids.keys())).contains(frontendId));
    assertNull(TestHub.await(HUB.hub().vertx().sharedData()
        .<String, JsonObject>getAsyncMap(SharedDataPresenceStore.AWAY_MAP).compose(away -> away.get(frontendId))),
        "no longer away");
    try (WsClient tooLate = WsClient.register(HUB.port(), registration("frontend", "Gone", frontendId))) {
      assertNotEquals(frontendId, tooLate.id(), "after the window the old id is not given back");
      HUB.rabbit().publish(Queues.BROKER_OUTPUT, reply(tooLate.id(), "sentinel"));
      assertEquals(List.of("sentinel"),
          replyTexts(tooLate.framesUntil(f -> "sentinel".equals(f.getString("text_payload")), WsClient.TIMEOUT)));
    }
  }
}
