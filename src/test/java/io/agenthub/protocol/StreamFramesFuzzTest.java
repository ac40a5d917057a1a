package io.agenthub.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * Fuzzes the stream frames clients send (protocol extension "streamed replies") as the gateway reads them: parse the
 * text, then check the stream frame for the sender's role. Invariants: nothing throws; a refusal is one of the codes
 * docs/protocol.md names for malformed stream frames and renders as an ERROR naming the stream; an accepted frame is
 * typed exactly as the wire said (a well-formed stream id, a seq from 0, a non-empty delta within the chunk limit, an
 * end reason of the three).
 */
class StreamFramesFuzzTest {
  private static final String[] TYPES = {"STREAM_START", "STREAM_CHUNK", "STREAM_END", "STREAM_JOIN", "STREAM_CANCEL"};
  private static final String[] FIELDS = {Fields.STREAM_ID, Fields.SEQ, Fields.DELTA, Fields.REASON, Fields.ERROR,
      Fields.FROM_SEQ, Fields.IN_REPLY_TO_MESSAGE_ID, Fields.MESSAGE_ID};
  private static final Set<ErrorCode> MALFORMED = Set.of(ErrorCode.MISSING_FIELD, ErrorCode.INVALID_FIELD,
      ErrorCode.CHUNK_TOO_LARGE, ErrorCode.UNSUPPORTED_MESSAGE_TYPE);

  @FuzzTest(maxDuration = "10s")
  @DictionaryEntries({"\"stream_id\"", "\"st_0123456789abcdef0123456789abcdef\"", "\"seq\"", "\"delta\"",
      "\"reason\"", "\"complete\"", "\"cancelled\"", "\"failed\"", "\"from_seq\"", "\"in_reply_to_message_id\""})
  void streamFrame(FuzzedDataProvider data) {
    ClientRole role = data.pickValue(ClientRole.values());
    int maxChunkChars = data.consumeInt(1, 64);
    InboundFrame frame = InboundFrame.parse(data.consumeBoolean() ? structured(data) : data.consumeRemainingAsString(),
        1_048_576);
    if (!frame.isValid() || !frame.type().isStream()) {
      return;
    }
    StreamRequest.Parsed parsed = StreamRequest.parse(frame.type(), frame.body(), role, maxChunkChars);
    if (!parsed.isValid()) {
      assertTrue(MALFORMED.contains(parsed.error().code()), parsed.error().toString());
      assertFalse(parsed.error().text().isBlank());
      JsonObject error = StreamFrames.error(parsed.error(), streamIdIn(frame.body()), null);
      assertEquals("ERROR", error.getString(Fields.MESSAGE_TYPE));
      assertEquals(parsed.error().code().name(), error.getString(Fields.ERROR_CODE));
      return;
    }
    assertAccepted(parsed.request(), frame.body(), role, maxChunkChars);
  }

  private static void assertAccepted(StreamRequest request, JsonObject body, ClientRole role, int maxChunkChars) {
    assertNotNull(request);
    boolean fromAgent = request instanceof StreamRequest.Start || request instanceof StreamRequest.Chunk
        || request instanceof StreamRequest.End;
    assertEquals(role == ClientRole.AGENT, fromAgent, "each side sends only its own stream frames");
    if (request.streamId() != null) {
      assertTrue(StreamIds.isWellFormed(request.streamId()));
    }
    if (request instanceof StreamRequest.Start start) {
      assertTrue(start.reattaches() || !start.inReplyTo().isEmpty());
    } else if (request instanceof StreamRequest.Chunk chunk) {
      assertTrue(chunk.seq() >= 0);
      assertTrue(!chunk.delta().isEmpty() && chunk.delta().length() <= maxChunkChars);
      assertEquals(body.getValue(Fields.DELTA), chunk.delta());
    } else if (request instanceof StreamRequest.End end) {
      assertTrue(end.chunks() >= 0);
      assertEquals(body.getValue(Fields.REASON), end.reason().wireName());
      assertTrue(end.error() == null || end.error().length() <= StreamRequest.MAX_ERROR_CHARS);
    } else if (request instanceof StreamRequest.Join join) {
      assertTrue(join.fromSeq() >= 0);
    }
  }

  private static String streamIdIn(JsonObject body) {
    return body.getValue(Fields.STREAM_ID) instanceof String id ? id : null;
  }

  /** A stream frame of a known type with stream fields of any JSON kind, often with a well-formed stream id. */
  private static String structured(FuzzedDataProvider data) {
    JsonObject frame = new JsonObject().put(Fields.MESSAGE_TYPE, data.pickValue(TYPES));
    if (data.consumeBoolean()) {
      frame.put(Fields.STREAM_ID, "st_0123456789abcdef0123456789abcdef");
    }
    int fields = data.consumeInt(0, FIELDS.length);
    for (int i = 0; i < fields; i++) {
      frame.put(data.pickValue(FIELDS), anyValue(data));
    }
    return frame.encode();
  }

  private static Object anyValue(FuzzedDataProvider data) {
    return switch (data.consumeInt(0, 6)) {
      case 0 -> data.consumeString(80);
      case 1 -> data.consumeLong();
      case 2 -> data.consumeInt(-2, 100);
      case 3 -> data.consumeBoolean();
      case 4 -> data.consumeDouble();
      case 5 -> new JsonArray().add(data.consumeString(4));
      default -> data.pickValue(new String[] {"complete", "cancelled", "failed", "done"});
    };
  }
}
