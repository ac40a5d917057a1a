package io.agenthub.gateway.policy;

import static io.agenthub.support.Messages.text;
import static io.agenthub.support.RawWebSocket.FIN;
import static io.agenthub.support.RawWebSocket.OPCODE_CONTINUATION;
import static io.agenthub.support.RawWebSocket.OPCODE_TEXT;
import static io.agenthub.support.RawWebSocket.RSV1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agenthub.protocol.StrictJson;
import io.agenthub.support.GatewayFixture;
import io.agenthub.support.RawWebSocket;
import io.agenthub.support.WsClient;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 11, defects 2, 4 and 5, over real sockets of the gateway alone with default settings: not-quite-JSON and
 * too-deep JSON are refused with an ERROR and the socket keeps working; invalid UTF-8 (also split across fragments)
 * closes with 1007 and a reserved bit without a negotiated extension with 1002, as RFC 6455 requires.
 * {@code StrictFramesTest} checks on a whole hub that too-deep JSON never reaches RabbitMQ.
 */
class StrictFramesBusTest {
  private static final String PING = "{\"message_type\":\"PING\"}";

  @RegisterExtension
  static final GatewayFixture GATEWAY = GatewayFixture.perClass(new JsonObject());

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"message_type\":\"PING\" /* c */}",
      "{\"message_type\":\"PING\"} // c",
      "{\"message_type\":\"PING\",}",
      "{'message_type':'PING'}",
      "{\"message_type\":\"PING\",\"n\":NaN}",
      "{\"message_type\":\"PING\"} trailing",
      "{\"message_type\":\"PING\",\"message_type\":\"PING\"}"})
  void notQuiteJsonIsInvalidJsonAndTheSocketStays(String frame) throws Exception {
    try (WsClient client = WsClient.register(GATEWAY.port(), "frontend", "Lenient")) {
      client.sendText(frame);
      JsonObject answer = client.next("ERROR");
      assertEquals("INVALID_JSON", answer.getString("error_code"), "answered " + answer);
      assertEquals("Invalid JSON format", answer.getString("text_payload"));
      client.sendText(PING);
      client.next("PONG");
    }
  }

  @Test
  void tooDeepJsonIsRefusedAtOnceAndNothingIsForwarded() throws Exception {
    try (WsClient client = WsClient.register(GATEWAY.port(), "frontend", "Deep")) {
      String deep = "[".repeat(950) + "]".repeat(950);
      client.sendText("{\"message_type\":\"TEXT\",\"text_payload\":\"deep\",\"message_id\":\"m-deep\",\"x\":"
          + deep + "}");
      JsonObject answer = client.next("ERROR");
      assertEquals("TOO_DEEP", answer.getString("error_code"), "answered " + answer);
      assertTrue(answer.getString("text_payload").contains(String.valueOf(StrictJson.MAX_DEPTH)));
      assertNull(answer.getString("in_reply_to_message_id"), "the frame was not read, so it has no message id");
      client.send(text("shallow"));
      assertEquals("shallow", GATEWAY.nextForward().getString("text_payload"),
          "the deep message was not forwarded, the next one was");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"fffefd", "c0af", "eda080", "f4908080", "e282"})
  void invalidUtf8InATextFrameClosesWith1007(String badBytes) throws Exception {
    try (RawWebSocket client = registered()) {
      client.sendFrame(FIN | OPCODE_TEXT, pingWith(HexFormat.of().parseHex(badBytes)));
      assertEquals(1007, client.awaitCloseCode());
    }
  }

  @Test
  void invalidUtf8SplitAcrossFragmentsClosesWith1007() throws Exception {
    try (RawWebSocket client = registered()) {
      byte[] frame = pingWith(HexFormat.of().parseHex("eda080"));
      int split = frame.length - 4;
      client.sendFrame(OPCODE_TEXT, Arrays.copyOfRange(frame, 0, split));
      client.sendFrame(FIN | OPCODE_CONTINUATION, Arrays.copyOfRange(frame, split, frame.length));
      assertEquals(1007, client.awaitCloseCode());
    }
  }

  @Test
  void aTextEndingInsideASequenceClosesWith1007EvenIfEachFragmentLooksFine() throws Exception {
    try (RawWebSocket client = registered()) {
      client.sendFrame(OPCODE_TEXT, "{\"message_type\":\"PING\",\"x\":\"".getBytes(StandardCharsets.UTF_8));
      client.sendFrame(FIN | OPCODE_CONTINUATION, HexFormat.of().parseHex("e282"));
      assertEquals(1007, client.awaitCloseCode());
    }
  }

  @Test
  void aValidSequenceSplitAcrossFragmentsIsAccepted() throws Exception {
    try (RawWebSocket client = registered()) {
      byte[] frame = pingWith("€".getBytes(StandardCharsets.UTF_8));
      int split = frame.length - 3;
      client.sendFrame(OPCODE_TEXT, Arrays.copyOfRange(frame, 0, split));
      client.sendFrame(OPCODE_CONTINUATION, new byte[0]);
      client.sendFrame(FIN | OPCODE_CONTINUATION, Arrays.copyOfRange(frame, split, frame.length));
      assertEquals("PONG", client.nextFrame().json().getString("message_type"));
    }
  }

  @Test
  void aReservedBitWithoutANegotiatedExtensionClosesWith1002() throws Exception {
    try (RawWebSocket client = registered()) {
      client.sendFrame(FIN | RSV1 | OPCODE_TEXT, PING.getBytes(StandardCharsets.UTF_8));
      assertEquals(1002, client.awaitCloseCode());
    }
  }

  /** A raw socket registered as a frontend, its registration response and first status update read. */
  private static RawWebSocket registered() throws Exception {
    RawWebSocket client = RawWebSocket.open(GATEWAY.port(), "");
    client.sendFrame(FIN | OPCODE_TEXT,
        "{\"message_type\":\"REGISTER_FRONTEND\",\"frontend_name\":\"Raw\"}".getBytes(StandardCharsets.UTF_8));
    assertEquals("REGISTER_FRONTEND_RESPONSE", client.nextFrame().json().getString("message_type"));
    assertEquals("AGENT_STATUS_UPDATE", client.nextFrame().json().getString("message_type"));
    return client;
  }

  /** A PING frame with these bytes inside a string field. */
  private static byte[] pingWith(byte[] inside) throws Exception {
    ByteArrayOutputStream frame = new ByteArrayOutputStream();
    frame.write("{\"message_type\":\"PING\",\"x\":\"".getBytes(StandardCharsets.UTF_8));
    frame.write(inside);
    frame.write("\"}".getBytes(StandardCharsets.UTF_8));
    return frame.toByteArray();
  }
}
