package io.agenthub.protocol;

import io.agenthub.protocol.StreamRequest.Parsed;
import io.vertx.core.json.JsonObject;

/** The field checks of each {@link StreamRequest}, one method per frame. */
final class StreamRequestParser {

  private StreamRequestParser() {
  }

  static Parsed start(JsonObject body) {
    Object messageId = body.getValue(Fields.MESSAGE_ID);
    if (messageId != null && !(messageId instanceof String)) {
      return Parsed.refused(ErrorCode.INVALID_FIELD, "Field message_id must be a string");
    }
    Object streamId = body.getValue(Fields.STREAM_ID);
    if (streamId != null) {
      return StreamIds.isWellFormed(streamId)
          ? Parsed.ok(new StreamRequest.Start((String) streamId, null, (String) messageId))
          : Parsed.refused(ErrorCode.INVALID_FIELD, "Field stream_id must be st_ and 32 lower-case hex characters");
    }
    Object inReplyTo = body.getValue(Fields.IN_REPLY_TO_MESSAGE_ID);
    if (inReplyTo == null) {
      return Parsed.refused(ErrorCode.MISSING_FIELD,
          "Field in_reply_to_message_id is required to open a stream (or stream_id to take one back)");
    }
    if (!(inReplyTo instanceof String s) || s.isEmpty() || s.length() > StreamRequest.MAX_MESSAGE_ID_CHARS) {
      return Parsed.refused(ErrorCode.INVALID_FIELD, "Field in_reply_to_message_id must be a string of 1 to "
          + StreamRequest.MAX_MESSAGE_ID_CHARS + " characters");
    }
    return Parsed.ok(new StreamRequest.Start(null, s, (String) messageId));
  }

  static Parsed chunk(String streamId, JsonObject body, int maxChunkChars) {
    Long seq = count(body.getValue(Fields.SEQ));
    if (seq == null) {
      return Parsed.refused(ErrorCode.INVALID_FIELD, "Field seq is required: an integer from 0");
    }
    Object delta = body.getValue(Fields.DELTA);
    if (!(delta instanceof String text) || text.isEmpty()) {
      return Parsed.refused(delta == null ? ErrorCode.MISSING_FIELD : ErrorCode.INVALID_FIELD,
          "Field delta is required: a non-empty string");
    }
    if (text.length() > maxChunkChars) {
      return Parsed.refused(ErrorCode.CHUNK_TOO_LARGE, "Chunk " + seq + " of " + streamId + " has " + text.length()
          + " characters; at most " + maxChunkChars + " (STREAM_MAX_CHUNK_CHARS)");
    }
    return Parsed.ok(new StreamRequest.Chunk(streamId, seq, text));
  }

  static Parsed end(String streamId, JsonObject body) {
    Long chunks = count(body.getValue(Fields.SEQ));
    if (chunks == null) {
      return Parsed.refused(ErrorCode.INVALID_FIELD,
          "Field seq is required: the number of chunks sent, an integer from 0");
    }
    var reason = StreamEndReason.parse(body.getValue(Fields.REASON));
    if (reason.isEmpty()) {
      return Parsed.refused(ErrorCode.INVALID_FIELD, "Field reason must be complete, cancelled or failed");
    }
    Object error = body.getValue(Fields.ERROR);
    if (error != null && !(error instanceof String)) {
      return Parsed.refused(ErrorCode.INVALID_FIELD, "Field error must be a string");
    }
    String text = (String) error;
    if (text != null && text.length() > StreamRequest.MAX_ERROR_CHARS) {
      text = text.substring(0, StreamRequest.MAX_ERROR_CHARS);
    }
    return Parsed.ok(new StreamRequest.End(streamId, chunks, reason.get(), text));
  }

  static Parsed join(String streamId, JsonObject body) {
    Long from = fromSeq(body);
    return from == null ? Parsed.refused(ErrorCode.INVALID_FIELD, "Field from_seq must be an integer from 0")
        : Parsed.ok(new StreamRequest.Join(streamId, null, from));
  }

  static Parsed joinByQuestion(JsonObject body) {
    Object inReplyTo = body.getValue(Fields.IN_REPLY_TO_MESSAGE_ID);
    if (!(inReplyTo instanceof String s) || s.isEmpty() || s.length() > StreamRequest.MAX_MESSAGE_ID_CHARS) {
      return Parsed.refused(ErrorCode.INVALID_FIELD, "Field in_reply_to_message_id must be a string of 1 to "
          + StreamRequest.MAX_MESSAGE_ID_CHARS + " characters");
    }
    Long from = fromSeq(body);
    return from == null ? Parsed.refused(ErrorCode.INVALID_FIELD, "Field from_seq must be an integer from 0")
        : Parsed.ok(new StreamRequest.Join(null, s, from));
  }

  private static Long fromSeq(JsonObject body) {
    Object raw = body.getValue(Fields.FROM_SEQ);
    return raw == null ? Long.valueOf(0) : count(raw);
  }

  /** A JSON integer from 0 (an integral number like {@code 3.0} too); null for anything else. */
  private static Long count(Object value) {
    if (value instanceof Integer i) {
      return i >= 0 ? Long.valueOf(i) : null;
    }
    if (value instanceof Long l) {
      return l >= 0 ? l : null;
    }
    if (value instanceof Number n && n.doubleValue() >= 0 && n.doubleValue() == Math.rint(n.doubleValue())
        && n.doubleValue() < 9.0e15) {
      return (long) n.doubleValue();
    }
    return null;
  }
}
