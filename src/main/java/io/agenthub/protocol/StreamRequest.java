package io.agenthub.protocol;

import io.vertx.core.json.JsonObject;

/**
 * A stream frame from a client (protocol extension "streamed replies"), checked and typed: agents send
 * {@link Start}, {@link Chunk} and {@link End}; frontends and brokers send {@link Join} and {@link Cancel}.
 * Pure logic: {@link #parse} either returns one of these or the {@link ProtocolError} to answer with.
 */
public sealed interface StreamRequest {
  /** Longest error text an agent may give with a failed end; a longer one is cut, not refused. */
  int MAX_ERROR_CHARS = 512;
  /** Longest message id a stream may answer: ids are UUIDs in practice. */
  int MAX_MESSAGE_ID_CHARS = 256;

  /** The stream this frame is about; null for the opening of a new stream. */
  String streamId();

  /**
   * Opens a stream answering {@code inReplyTo}, or (with {@code streamId}) takes back one this agent opened before a
   * reconnect. {@code messageId} is the agent's own reference for errors about this frame, if it gave one.
   */
  record Start(String streamId, String inReplyTo, String messageId) implements StreamRequest {
    public boolean reattaches() {
      return streamId != null;
    }
  }

  /** The chunk numbered {@code seq} (0, 1, 2… with no gap) of the reply's text. */
  record Chunk(String streamId, long seq, String delta) implements StreamRequest {
  }

  /** The agent's end of its stream; {@code chunks} is how many chunks it sent (how far it got). */
  record End(String streamId, long chunks, StreamEndReason reason, String error) implements StreamRequest {
  }

  /**
   * A viewer asks for the stream from chunk {@code fromSeq} on, then the live rest; named by its id, or (the client
   * whose message it answers, after a resume) by that message's id, {@code inReplyTo}.
   */
  record Join(String streamId, String inReplyTo, long fromSeq) implements StreamRequest {
  }

  /** The requester (or an operator) asks the agent to stop. */
  record Cancel(String streamId) implements StreamRequest {
  }

  /** The typed request, or the error to answer a malformed one with. */
  record Parsed(StreamRequest request, ProtocolError error) {
    static Parsed ok(StreamRequest request) {
      return new Parsed(request, null);
    }

    static Parsed refused(ErrorCode code, String text) {
      return new Parsed(null, new ProtocolError(code, text));
    }

    public boolean isValid() {
      return error == null;
    }
  }

  /**
   * Checks a stream frame of a registered client of {@code role}: who may send it, the stream id, sequence numbers,
   * the chunk's size ({@code maxChunkChars} characters of delta at most).
   */
  static Parsed parse(MessageType type, JsonObject body, ClientRole role, int maxChunkChars) {
    boolean fromAgent = type == MessageType.STREAM_START || type == MessageType.STREAM_CHUNK
        || type == MessageType.STREAM_END;
    if (fromAgent != (role == ClientRole.AGENT)) {
      return Parsed.refused(ErrorCode.UNSUPPORTED_MESSAGE_TYPE, type + " is not sent by a " + role.connectionType());
    }
    if (type == MessageType.STREAM_START) {
      return StreamRequestParser.start(body);
    }
    if (type == MessageType.STREAM_JOIN && body.getValue(Fields.STREAM_ID) == null
        && body.getValue(Fields.IN_REPLY_TO_MESSAGE_ID) != null) {
      return StreamRequestParser.joinByQuestion(body);
    }
    Object streamId = body.getValue(Fields.STREAM_ID);
    if (!StreamIds.isWellFormed(streamId)) {
      return Parsed.refused(streamId == null ? ErrorCode.MISSING_FIELD : ErrorCode.INVALID_FIELD,
          "Field stream_id is required: st_ and 32 lower-case hex characters");
    }
    String id = (String) streamId;
    return switch (type) {
      case STREAM_CHUNK -> StreamRequestParser.chunk(id, body, maxChunkChars);
      case STREAM_END -> StreamRequestParser.end(id, body);
      case STREAM_JOIN -> StreamRequestParser.join(id, body);
      case STREAM_CANCEL -> Parsed.ok(new Cancel(id));
      default -> throw new IllegalArgumentException(type + " is not a stream frame a client sends");
    };
  }
}
