package io.agenthub.protocol;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Builders for the frames of protocol extension "streamed replies" that the hub sends, and for the REPLY it builds
 * when a stream ends. Timestamps come in as the old hub's ISO text, so these stay pure.
 */
public final class StreamFrames {

  private StreamFrames() {
  }

  /** To the agent: its stream is open (or taken back), and the seq of the next chunk the hub expects. */
  public static JsonObject started(String streamId, String inReplyTo, long nextSeq) {
    return new JsonObject()
        .put(Fields.MESSAGE_TYPE, MessageType.STREAM_STARTED.name())
        .put(Fields.STREAM_ID, streamId)
        .put(Fields.IN_REPLY_TO_MESSAGE_ID, inReplyTo)
        .put(Fields.NEXT_SEQ, nextSeq);
  }

  /** To a viewer: a stream it receives, before its first chunk. */
  public static JsonObject start(StreamHeader header) {
    return new JsonObject()
        .put(Fields.MESSAGE_TYPE, MessageType.STREAM_START.name())
        .put(Fields.STREAM_ID, header.streamId())
        .put(Fields.AGENT_ID, header.agentId())
        .put(Fields.AGENT_NAME, header.agentName())
        .put(Fields.RECEIVER_ID, header.requesterId())
        .put(Fields.IN_REPLY_TO_MESSAGE_ID, header.inReplyTo())
        .put(Fields.STARTED_AT, header.startedAt());
  }

  /** To a viewer: chunks {@code seq} to {@code lastSeq}, merged into one delta when it read slower than they came. */
  public static String chunk(String streamId, long seq, long lastSeq, String delta) {
    return new JsonObject()
        .put(Fields.MESSAGE_TYPE, MessageType.STREAM_CHUNK.name())
        .put(Fields.STREAM_ID, streamId)
        .put(Fields.SEQ, seq)
        .put(Fields.LAST_SEQ, lastSeq)
        .put(Fields.DELTA, delta)
        .encode();
  }

  /**
   * To a viewer: how the stream ended after {@code chunks} chunks; a failed or cut stream says why in
   * {@code error_code} and {@code text_payload}.
   */
  public static JsonObject end(String streamId, StreamEndReason reason, long chunks, ErrorCode code, String why) {
    JsonObject end = new JsonObject()
        .put(Fields.MESSAGE_TYPE, MessageType.STREAM_END.name())
        .put(Fields.STREAM_ID, streamId)
        .put(Fields.REASON, reason.wireName())
        .put(Fields.CHUNKS, chunks);
    if (code != null) {
      end.put(Fields.ERROR_CODE, code.name());
    }
    if (why != null) {
      end.put(Fields.TEXT_PAYLOAD, why);
    }
    return end;
  }

  /**
   * An ERROR answering a stream frame: the refusal's text and code, and the stream ({@code streamId}) or, for an
   * opening, the message it answers ({@code inReplyTo}) it concerns; either may be null.
   */
  public static JsonObject error(ProtocolError refusal, String streamId, String inReplyTo) {
    JsonObject error = refusal.toFrame();
    if (streamId != null) {
      error.put(Fields.STREAM_ID, streamId);
    }
    if (inReplyTo != null) {
      error.put(Fields.IN_REPLY_TO_MESSAGE_ID, inReplyTo);
    }
    return error;
  }

  /** To the agent: stop generating, then end the stream as cancelled with how far it got. */
  public static JsonObject cancel(String streamId, String inReplyTo) {
    return new JsonObject()
        .put(Fields.MESSAGE_TYPE, MessageType.STREAM_CANCEL.name())
        .put(Fields.STREAM_ID, streamId)
        .put(Fields.IN_REPLY_TO_MESSAGE_ID, inReplyTo);
  }

  /**
   * The REPLY a non-streaming agent would have published to broker_input_queue, with the whole text: the hub
   * publishes it when the stream ends, so clients and brokers that did not opt in see exactly today's traffic. It
   * carries {@code stream_id} and {@code stream_end} as well (extra fields, which chat messages keep), so a client
   * that watched the stream knows the REPLY is that stream. Its {@code message_id} is derived from the stream id:
   * a REPLY published twice (its first confirm was lost) can be told apart from a second answer.
   */
  public static JsonObject finalReply(StreamHeader header, String text, StreamEndReason reason, String timestamp) {
    return new JsonObject()
        .put(Fields.MESSAGE_TYPE, MessageType.REPLY.name())
        .put(Fields.MESSAGE_ID, replyMessageId(header.streamId()))
        .put(Fields.SENDER_ID, header.agentId())
        .put(Fields.RECEIVER_ID, header.requesterId())
        .put(Fields.TEXT_PAYLOAD, text)
        .put(Fields.IN_REPLY_TO_MESSAGE_ID, header.inReplyTo())
        .put(Fields.SEND_TIMESTAMP, timestamp)
        .put(Fields.STREAM_ID, header.streamId())
        .put(Fields.STREAM_END, reason.wireName())
        .put(Fields.CLIENT_ID, header.agentId())
        .put(Fields.CONNECTION_TYPE, ClientRole.AGENT.connectionType());
  }

  static String replyMessageId(String streamId) {
    return UUID.nameUUIDFromBytes(streamId.getBytes(StandardCharsets.UTF_8)).toString();
  }
}
