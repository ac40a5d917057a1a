package io.agenthub.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class InboundFrameTest {

  @Test
  void knownTypeParses() {
    InboundFrame frame = InboundFrame.parse("{\"message_type\":\"TEXT\",\"message_id\":\"m\"}", 1000);
    assertTrue(frame.isValid());
    assertEquals(MessageType.TEXT, frame.type());
    assertEquals("m", frame.messageId());
  }

  @Test
  void sizeIsMeasuredInUtf8Bytes() {
    String threeBytesEach = "€".repeat(100);
    String frame = "{\"message_type\":\"TEXT\",\"text_payload\":\"" + threeBytesEach + "\"}";
    assertTrue(frame.length() < 200);
    assertEquals(ErrorCode.FRAME_TOO_LARGE, InboundFrame.parse(frame, 200).error().code());
    assertTrue(InboundFrame.parse(frame, 400).isValid());
  }

  @Test
  void unknownTypeKeepsTheBodyForErrorReferences() {
    InboundFrame frame = InboundFrame.parse("{\"message_type\":\"NOPE\",\"message_id\":\"m9\"}", 1000);
    assertFalse(frame.isValid());
    assertEquals(ErrorCode.UNKNOWN_MESSAGE_TYPE, frame.error().code());
    assertEquals("m9", frame.messageId());
  }

  @Test
  void invalidJsonHasTheContractText() {
    InboundFrame frame = InboundFrame.parse("{", 1000);
    assertNull(frame.body());
    assertEquals(new JsonObject().put("message_type", "ERROR").put("text_payload", "Invalid JSON format")
        .put("error_code", "INVALID_JSON"), frame.error().toFrame());
  }

  @Test
  void commentsAreNotJson() {
    assertEquals(ErrorCode.INVALID_JSON,
        InboundFrame.parse("{\"message_type\":\"PING\" /* c */}", 1000).error().code());
  }

  @Test
  void tooDeepIsRefusedWithItsOwnCode() {
    InboundFrame frame = InboundFrame.parse(StrictJsonTest.nested(999), 100_000);
    assertNull(frame.body());
    assertEquals(ErrorCode.TOO_DEEP, frame.error().code());
  }
}
