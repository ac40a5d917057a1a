package io.agenthub.streams;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;

/**
 * Where streams are kept: {@link LocalStreamStore} in a single hub's memory, {@link SharedStreamStore} in the
 * cluster's Hazelcast maps, where any instance reads what any other wrote and a member's death loses nothing. Only
 * the streams verticle calls it. One instance writes a stream at a time (its writer), and it calls
 * {@link #append} for a stream only after the previous append of that stream completed.
 */
interface StreamStore {

  /** A message handed to a streaming agent: who asked it, and the stream answering it once there is one. */
  record Ask(String requesterId, String streamId) {
  }

  /**
   * A stream as kept: its record, how many chunks are kept, and the text of those from the seq asked for, in one or
   * more strings (to be joined; a store need not keep the chunks apart).
   */
  record Stored(StreamRecord record, long chunks, List<String> deltas) {
  }

  /** Remembers for {@code ttl} that {@code messageId} from {@code requesterId} was handed to {@code agentId}. */
  Future<Void> recordAsk(String agentId, String messageId, String requesterId, Duration ttl);

  /** The ask, or null when the message was not handed to that agent (or its record expired). */
  Future<Ask> ask(String agentId, String messageId);

  /** Notes the stream answering an ask, so that a second opening for that message takes the same stream. */
  Future<Void> bindAsk(String agentId, String messageId, String streamId, Duration ttl);

  /**
   * Notes that {@code streamId} answers {@code messageId} of {@code requesterId}, so that the client, back after its
   * socket went, can find a stream that opened while it was away.
   */
  Future<Void> rememberAnswer(String requesterId, String messageId, String streamId, Duration ttl);

  /** The stream answering that client's message, or null when there is none (yet). */
  Future<String> answering(String requesterId, String messageId);

  /**
   * Keeps a stream's record (a new one, or a change by its writer) for {@code ttl} from now: long enough for an open
   * stream to reach its maximum age, and for an ended one to be joined for STREAM_RETENTION.
   */
  Future<Void> put(StreamRecord record, Duration ttl);

  /**
   * Replaces the record only while the kept one is still {@code expected}: two instances taking a stream over at
   * once cannot both win. False when it changed meanwhile.
   */
  Future<Boolean> replace(StreamRecord expected, StreamRecord next, Duration ttl);

  /** Keeps chunks {@code firstSeq}, {@code firstSeq + 1}… of an open stream for {@code ttl}. */
  Future<Void> append(String streamId, long firstSeq, List<String> deltas, Duration ttl);

  /** The stream with the text of its chunks from {@code fromSeq} on; null when it is not kept (unknown, expired). */
  Future<Stored> read(String streamId, long fromSeq);

  /**
   * The streams whose writer was {@code nodeId} (an instance that died) and that still need one: those open, and
   * those ended whose REPLY was not published yet.
   */
  Future<List<StreamRecord>> orphansOf(String nodeId);

  /**
   * Whether a new stream may open: false when the streams kept in this store hold STREAM_STORE_MAX_CHARS already
   * (a store that cannot tell, such as the cluster's, whose maps evict by size themselves, says true).
   */
  boolean hasRoom();
}
