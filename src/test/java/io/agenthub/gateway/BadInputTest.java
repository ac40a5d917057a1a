package io.agenthub.gateway;

import static io.agenthub.support.Messages.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agenthub.support.HubExtension;
import io.agenthub.support.Integration;
import io.agenthub.support.WsClient;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every kind of bad input gets an ERROR with a stable code, and the socket stays open and usable; on the real RabbitMQ
 * ({@link BadInputOnRabbitMqTest}) and on the hub's embedded broker ({@link BadInputOnEmbeddedBrokerTest}).
 */
@Integration
abstract class BadInputTest {
  private static final int FRAME_LIMIT = 1024;
  @RegisterExtension
  static final HubExtension HUB = HubExtension.perClass("bad-input", new JsonObject()
      .put("MAX_FRAME_BYTES", FRAME_LIMIT).put("CLIENT_RATE_LIMIT", 5).put("CLIENT_RATE_BURST", 200));

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "[1,2,3]|NOT_AN_OBJECT",
      "\"just a string\"|NOT_AN_OBJECT",
      "{\"text_payload\":\"no type\"}|MISSING_MESSAGE_TYPE",
      "{\"message_type\":42}|MISSING_MESSAGE_TYPE",
      "{\"message_type\":\"TELEPORT\"}|UNKNOWN_MESSAGE_TYPE",
      "{\"message_type\":\"TEXT\",\"message_id\":\"m1\"}|MISSING_FIELD",
      "{\"message_type\":\"TEXT\",\"message_id\":\"m2\",\"text_payload\":7}|INVALID_FIELD",
      "{\"message_type\":\"TEXT\",\"text_payload\":\"x\",\"receiver_id\":[]}|INVALID_FIELD",
      "{\"message_type\":\"AGENT_STATUS_UPDATE\",\"agents\":[]}|UNSUPPORTED_MESSAGE_TYPE",
      "{\"message_type\":\"REGISTER_FRONTEND\",\"frontend_name\":\"again\"}|ALREADY_REGISTERED",
      "{oops|INVALID_JSON"})
  void malformedFramesAreAnsweredWithACode(String frame, String code) throws Exception {
    try (WsClient client = WsClient.register(HUB.port(), "frontend", "Fuzzer")) {
      client.sendText(frame);
      JsonObject error = client.next("ERROR");
      assertEquals(code, error.getString("error_code"), error.encode());
      assertStillServed(client);
    }
  }

  @Test
  void errorsAboutOneMessageNameIt() throws Exception {
    try (WsClient client = WsClient.register(HUB.port(), "frontend", "Referrer")) {
      client.sendUnchecked(new JsonObject().put("message_type", "TEXT").put("message_id", "m-42"));
      assertEquals("m-42", client.next("ERROR").getString("in_reply_to_message_id"));
    }
  }

  @Test
  void binaryFramesAreRefused() throws Exception {
    try (WsClient client = WsClient.register(HUB.port(), "agent", "Binary")) {
      client.sendBinary(new byte[] {1, 2, 3});
      assertEquals("BINARY_FRAME", client.next("ERROR").getString("error_code"));
      assertStillServed(client);
    }
  }

  @Test
  void framesOverTheLimitAreRefusedAndNothingIsForwarded() throws Exception {
    try (WsClient client = WsClient.register(HUB.port(), "frontend", "Big")) {
      client.send(text("x".repeat(FRAME_LIMIT)));
      assertEquals("FRAME_TOO_LARGE", client.next("ERROR").getString("error_code"));
      client.send(text("small"));
      assertEquals("small", HUB.rabbit().takeJson("broker_input_queue", WsClient.TIMEOUT).getString("text_payload"),
          "the oversized frame was not forwarded, the next one was");
    }
  }

  @Test
  void framesOverTheTransportLimitCloseTheSocketWith1009() throws Exception {
    try (WsClient client = WsClient.register(HUB.port(), "frontend", "Huge")) {
      client.sendText("x".repeat(GatewayVerticle.TRANSPORT_FRAME_LIMIT + 1));
      assertEquals(1009, client.awaitClose(), "Message Too Big");
    }
  }

  @Test
  void aClientCannotImpersonateAnother() throws Exception {
    try (WsClient agent = WsClient.register(HUB.port(), "agent", "Honest");
         WsClient forger = WsClient.register(HUB.port(), "frontend", "Forger")) {
      forger.send(text("I am the agent").put("sender_id", agent.id()).put("_client_id", agent.id())
          .put("_connection_type", "agent"));
      JsonObject published = HUB.rabbit().takeJson("broker_input_queue", WsClient.TIMEOUT);
      assertEquals(forger.id(), published.getString("sender_id"));
      assertEquals(forger.id(), published.getString("_client_id"));
      assertEquals("frontend", published.getString("_connection_type"));
    }
  }

  @Test
  void floodsAreAnsweredWithRateLimited() throws Exception {
    try (WsClient client = WsClient.register(HUB.port(), "frontend", "Flooder")) {
      for (int i = 0; i < 260; i++) {
        client.send(new JsonObject().put("message_type", "PING"));
      }
      JsonObject refusal = client.next(f -> "RATE_LIMITED".equals(f.getString("error_code")), WsClient.TIMEOUT);
      assertTrue(refusal.getString("text_payload").contains("Rate limit"));
      assertTrue(client.isOpen());
    }
  }

  private static void assertStillServed(WsClient client) throws Exception {
    client.send(new JsonObject().put("message_type", "PING"));
    client.next("PONG");
    List<JsonObject> closes = client.collect(f -> false, Duration.ZERO);
    assertTrue(closes.isEmpty() && client.isOpen(), "socket kept open");
  }
}
