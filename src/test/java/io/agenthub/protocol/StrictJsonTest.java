package io.agenthub.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StrictJsonTest {

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"message_type\":\"PING\" /* c */}",
      "{\"message_type\":\"PING\"} // c",
      "{\"message_type\":\"PING\",}",
      "{\"a\":[1,2,],\"message_type\":\"PING\"}",
      "{'message_type':'PING'}",
      "{message_type:\"PING\"}",
      "{\"message_type\":\"PING\",\"n\":NaN}",
      "{\"message_type\":\"PING\",\"n\":Infinity}",
      "{\"message_type\":\"PING\",\"n\":012}",
      "{\"message_type\":\"PING\"}{\"message_type\":\"PING\"}",
      "{\"message_type\":\"PING\"} x",
      "{\"message_type\":\"PING\",\"message_type\":\"TEXT\"}",
      "{\"a\":\"tab\tinside\",\"message_type\":\"PING\"}",
      "",
      "   ",
      "{"})
  void whatRfc8259DoesNotAllowIsInvalidJson(String text) {
    StrictJson.Rejected rejected = assertThrows(StrictJson.Rejected.class, () -> StrictJson.parseObject(text));
    assertEquals(ErrorCode.INVALID_JSON, rejected.error().code());
    assertEquals(Frames.TEXT_INVALID_JSON, rejected.error().text());
  }

  @Test
  void valuesOtherThanObjectsAreNotAnObject() throws Exception {
    for (String text : new String[] {"[]", "\"x\"", "42", "null", "true"}) {
      assertEquals(ErrorCode.NOT_AN_OBJECT,
          assertThrows(StrictJson.Rejected.class, () -> StrictJson.parseObject(text)).error().code(), text);
    }
  }

  @Test
  void everyJsonTypeReadsAsVertxDoes() throws Exception {
    String text = "{\"s\":\"\\u00e9\\n\",\"i\":7,\"l\":12345678901,\"d\":1.5e2,\"t\":true,\"f\":false,\"z\":null,"
        + "\"o\":{\"a\":[1,{\"b\":[]}]},\"big\":123456789012345678901234567890}";
    JsonObject parsed = StrictJson.parseObject(text);
    assertEquals(new JsonObject(text), parsed);
    assertEquals("é\n", parsed.getString("s"));
    assertEquals(new JsonArray().add(1).add(new JsonObject().put("b", new JsonArray())),
        parsed.getJsonObject("o").getJsonArray("a"));
    assertEquals(parsed, new JsonObject(parsed.encode()), "re-encodes to the same document");
  }

  @Test
  void nestingUpToTheLimitIsAccepted() throws Exception {
    JsonObject parsed = StrictJson.parseObject(nested(StrictJson.MAX_DEPTH - 1));
    assertEquals("PING", parsed.getString("message_type"));
  }

  @Test
  void deeperNestingIsRefusedWhileParsing() {
    for (int depth : new int[] {StrictJson.MAX_DEPTH, 999, 100_000}) {
      StrictJson.Rejected rejected = assertThrows(StrictJson.Rejected.class,
          () -> StrictJson.parseObject(nested(depth)));
      assertEquals(ErrorCode.TOO_DEEP, rejected.error().code(), "depth " + depth);
    }
  }

  @Test
  void bytesFromRabbitMqAreReadTheSameWayAndMalformedUtf8IsInvalid() throws Exception {
    assertEquals(new JsonObject().put("text_payload", "€"),
        StrictJson.parseObject("{\"text_payload\":\"€\"}".getBytes(StandardCharsets.UTF_8)));
    byte[] invalid = {'{', '"', 'a', '"', ':', '"', (byte) 0xc0, (byte) 0xaf, '"', '}'};
    assertEquals(ErrorCode.INVALID_JSON,
        assertThrows(StrictJson.Rejected.class, () -> StrictJson.parseObject(invalid)).error().code());
    assertEquals(ErrorCode.TOO_DEEP, assertThrows(StrictJson.Rejected.class,
        () -> StrictJson.parseObject(nested(500).getBytes(StandardCharsets.UTF_8))).error().code());
  }

  /** A PING whose field {@code x} holds {@code arrays} nested arrays (the object itself is one more level). */
  static String nested(int arrays) {
    return "{\"message_type\":\"PING\",\"x\":" + "[".repeat(arrays) + "]".repeat(arrays) + "}";
  }
}
