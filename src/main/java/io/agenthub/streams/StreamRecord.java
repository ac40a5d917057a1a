package io.agenthub.streams;

import io.agenthub.protocol.ErrorCode;
import io.agenthub.protocol.StreamEndReason;
import io.agenthub.protocol.StreamHeader;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * What the hub keeps of a stream besides its chunks: who writes it and for whom, how far it got, and how it ended.
 * Immutable; every change is a new record. {@code writerNode} is the instance holding the agent's socket, and
 * {@code attachment} counts the times an instance became the writer (an agent that reconnected elsewhere, or the
 * oldest instance adopting the streams of one that died), so a former writer recognises it no longer is one.
 *
 * @param chunks how many chunks are kept (the seq the next one must have)
 * @param cancelRequestedAt when a cancel was asked for, null if none was
 * @param ending null while the stream is open
 */
record StreamRecord(StreamHeader header, Instant startedAt, String writerNode, long attachment, long chunks,
    long chars, Instant cancelRequestedAt, Ending ending, boolean replyForwarded) {

  /** How the stream ended, and why when its agent did not complete it. */
  record Ending(StreamEndReason reason, ErrorCode code, String text, Instant endedAt) {
  }

  static StreamRecord opened(StreamHeader header, Instant startedAt, String writerNode) {
    return new StreamRecord(header, startedAt, writerNode, 1, 0, 0, null, null, false);
  }

  String streamId() {
    return header.streamId();
  }

  boolean isOpen() {
    return ending == null;
  }

  StreamRecord appended(int count, long addedChars) {
    return new StreamRecord(header, startedAt, writerNode, attachment, chunks + count, chars + addedChars,
        cancelRequestedAt, ending, replyForwarded);
  }

  /**
   * Written by {@code node} from now on, with the {@code keptChunks} the store holds (the record's own count may lag
   * behind its chunks in a cluster's store).
   */
  StreamRecord takenOverBy(String node, long keptChunks) {
    return new StreamRecord(header, startedAt, node, attachment + 1, keptChunks, chars, cancelRequestedAt, ending,
        replyForwarded);
  }

  StreamRecord cancelRequested(Instant at) {
    return new StreamRecord(header, startedAt, writerNode, attachment, chunks, chars,
        cancelRequestedAt == null ? at : cancelRequestedAt, ending, replyForwarded);
  }

  StreamRecord ended(Ending how) {
    return new StreamRecord(header, startedAt, writerNode, attachment, chunks, chars, cancelRequestedAt, how,
        replyForwarded);
  }

  StreamRecord withReplyForwarded() {
    return new StreamRecord(header, startedAt, writerNode, attachment, chunks, chars, cancelRequestedAt, ending,
        true);
  }

  /** The stored form, in the shared map of a cluster: plain JSON, so any member (of any version) can read it. */
  JsonObject toStoreJson() {
    JsonObject json = new JsonObject()
        .put("stream_id", header.streamId()).put("agent_id", header.agentId()).put("agent_name", header.agentName())
        .put("requester_id", header.requesterId()).put("in_reply_to", header.inReplyTo())
        .put("started_at", header.startedAt()).put("started_at_ms", startedAt.toEpochMilli())
        .put("writer_node", writerNode).put("attachment", attachment).put("chunks", chunks).put("chars", chars)
        .put("reply_forwarded", replyForwarded);
    if (cancelRequestedAt != null) {
      json.put("cancel_requested_at_ms", cancelRequestedAt.toEpochMilli());
    }
    if (ending != null) {
      json.put("end_reason", ending.reason().wireName()).put("ended_at_ms", ending.endedAt().toEpochMilli());
      if (ending.code() != null) {
        json.put("end_code", ending.code().name());
      }
      if (ending.text() != null) {
        json.put("end_text", ending.text());
      }
    }
    return json;
  }

  static StreamRecord fromStoreJson(JsonObject json) {
    StreamHeader header = new StreamHeader(json.getString("stream_id"), json.getString("agent_id"),
        json.getString("agent_name"), json.getString("requester_id"), json.getString("in_reply_to"),
        json.getString("started_at"));
    Ending ending = null;
    if (json.containsKey("end_reason")) {
      String code = json.getString("end_code");
      ending = new Ending(StreamEndReason.parse(json.getString("end_reason")).orElseThrow(),
          code == null ? null : ErrorCode.valueOf(code), json.getString("end_text"),
          Instant.ofEpochMilli(json.getLong("ended_at_ms")));
    }
    Long cancel = json.getLong("cancel_requested_at_ms");
    return new StreamRecord(header, Instant.ofEpochMilli(json.getLong("started_at_ms")),
        json.getString("writer_node"), json.getLong("attachment"), json.getLong("chunks"), json.getLong("chars"),
        cancel == null ? null : Instant.ofEpochMilli(cancel), ending, json.getBoolean("reply_forwarded", false));
  }
}
