package io.agenthub.bench;

import io.agenthub.protocol.ClientRole;
import io.agenthub.protocol.Fields;
import io.agenthub.protocol.MessageType;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.util.UUID;

/**
 * A frontend of the streams scenario that asks one question and follows its answer. Opted in ({@code "streams":
 * true}) it reads the stream: every chunk's seq range is checked against the next expected (a gap is lost chunks, a
 * seq already had is repeated), each chunk's delay from its agent's send time is recorded for every seq a merged chunk
 * covers, the deltas are concatenated and compared at the end with what the agent sent, and so is the final REPLY.
 * A legacy frontend (not opted in) only checks the final REPLY's text (and that it never sees a stream frame).
 * Monitoring copies of others' traffic, which every frontend gets by default, are ignored. Runs on its Vert.x
 * context.
 */
final class StreamViewer {
  private final Context context;
  private final BenchClient socket;
  private final boolean optedIn;
  private final StreamTally tally;
  private final int tokens;
  private final StreamTally.Seen seen = new StreamTally.Seen();
  private final Promise<Void> finished = Promise.promise();
  private final StringBuilder text = new StringBuilder();
  private volatile RunWindow window;
  private String questionId;
  private long askedNanos;
  private String streamId;
  private long nextSeq;
  private String endReason;
  private long endChunks = -1;
  private String replyText;
  /** A legacy frontend learns its stream's id only from the REPLY, which names it. */
  private String replyStreamId;

  StreamViewer(Context context, WebSocketClient client, String url, String name, boolean optedIn, StreamTally tally,
      int tokens) {
    this.context = context;
    this.optedIn = optedIn;
    this.tally = tally;
    this.tokens = tokens;
    this.socket = new BenchClient(client, new WebSocketConnectOptions().setAbsoluteURI(url), ClientRole.FRONTEND,
        name, this::onFrame).registeringWith(new JsonObject().put(Fields.STREAMS, optedIn));
  }

  Future<String> connect() {
    return Bench.onContext(context, () -> socket.connect(null));
  }

  /** Asks after {@code delayMs}. */
  void askAfter(long delayMs) {
    context.runOnContext(v -> context.owner().setTimer(Math.max(1, delayMs), t -> {
      questionId = UUID.randomUUID().toString();
      askedNanos = System.nanoTime();
      socket.send(new JsonObject().put(Fields.MESSAGE_TYPE, MessageType.TEXT.name())
          .put(Fields.MESSAGE_ID, questionId).put(Fields.SENDER_ID, socket.id()).put(Fields.RECEIVER_ID, "server")
          .put(Fields.TEXT_PAYLOAD, "stream me " + tokens + " tokens"));
    }));
  }

  /** Chunks are measured while {@code measured} says so. */
  void window(RunWindow measured) {
    window = measured;
  }

  boolean optedIn() {
    return optedIn;
  }

  Future<Void> finished() {
    return finished.future();
  }

  /** What it saw, checked: on its context, once finished or given up. */
  Future<StreamTally.Seen> result() {
    return Bench.onContext(context, () -> {
      StreamTally.Seen result = new StreamTally.Seen();
      result.add(seen);
      if (!finished.future().isComplete()) {
        result.unfinished++;
      }
      return Future.succeededFuture(result);
    });
  }

  Future<Void> close() {
    return Bench.onContext(context, socket::close);
  }

  private void onFrame(String type, String frame) {
    long now = System.nanoTime();
    switch (type) {
      case "STREAM_START" -> onStart(new JsonObject(frame));
      case "STREAM_CHUNK" -> onChunk(new JsonObject(frame), now);
      case "STREAM_END" -> onEnd(new JsonObject(frame));
      case "REPLY" -> onReply(new JsonObject(frame));
      case "ERROR" -> tally.error(optedIn ? "frontend" : "legacy frontend", new JsonObject(frame)
          .getString("error_code", "") + " " + new JsonObject(frame).getString("text_payload", ""));
      default -> { }
    }
  }

  private void onStart(JsonObject start) {
    if (questionId != null && questionId.equals(start.getString(Fields.IN_REPLY_TO_MESSAGE_ID))) {
      if (!optedIn) {
        tally.error("legacy frontend", "got STREAM_START");
      } else if (streamId == null) {
        streamId = start.getString(Fields.STREAM_ID);
      }
    }
  }

  private void onChunk(JsonObject chunk, long now) {
    String id = chunk.getString(Fields.STREAM_ID);
    if (!optedIn || !id.equals(streamId)) {
      tally.error(optedIn ? "frontend" : "legacy frontend", "a chunk of a stream it did not ask for");
      return;
    }
    long seq = chunk.getLong(Fields.SEQ);
    long last = chunk.getLong(Fields.LAST_SEQ, seq);
    if (nextSeq == 0 && seq == 0) {
      seen.firstTokenMicros.recordValue(Math.max(0, (now - askedNanos) / 1000));
      tally.firstChunks.increment();
    }
    if (seq < nextSeq) {
      seen.repeated += Math.min(last, nextSeq - 1) - seq + 1;
    } else if (seq > nextSeq) {
      seen.lost += seq - nextSeq;
      tally.error("frontend", "a gap in the chunks' seq");
    }
    StreamTally.Sent sent = tally.sent(id);
    RunWindow measured = window;
    boolean inWindow = measured != null && measured.measures(now);
    if (inWindow) {
      seen.framesInWindow++;
      seen.chunksInWindow += last - seq + 1;
      for (long s = seq; s <= last && sent != null && s < sent.chunks(); s++) {
        seen.addedMicros.recordValue(Math.max(0, (now - sent.sentNanos().get((int) s)) / 1000));
      }
    }
    text.append(chunk.getString(Fields.DELTA, ""));
    nextSeq = Math.max(nextSeq, last + 1);
  }

  private void onEnd(JsonObject end) {
    if (end.getString(Fields.STREAM_ID, "").equals(streamId)) {
      endReason = end.getString(Fields.REASON);
      if (!"complete".equals(endReason)) {
        tally.error("frontend", "stream ended " + endReason + " " + end.getString("error_code", ""));
      }
      endChunks = end.getLong(Fields.CHUNKS, -1L);
      maybeDone();
    }
  }

  private void onReply(JsonObject reply) {
    if (questionId == null || !questionId.equals(reply.getString(Fields.IN_REPLY_TO_MESSAGE_ID))
        || !socket.id().equals(reply.getString(Fields.RECEIVER_ID))) {
      return;
    }
    if (replyText != null) {
      // With monitoring copies on, the asker gets the copy of the REPLY as published and then the REPLY the broker
      // routed to it, as with a non-streaming agent; each must carry the whole text.
      seen.extraReplies++;
      if (!replyText.equals(reply.getString(Fields.TEXT_PAYLOAD, ""))) {
        seen.replyMismatches++;
      }
      return;
    }
    replyText = reply.getString(Fields.TEXT_PAYLOAD, "");
    replyStreamId = reply.getString(Fields.STREAM_ID);
    maybeDone();
  }

  private void maybeDone() {
    if (replyText == null || (optedIn && endReason == null) || finished.future().isComplete()) {
      return;
    }
    String sentId = optedIn ? streamId : replyStreamId;
    StreamTally.Sent sent = sentId == null ? null : tally.sent(sentId);
    String expected = sent == null ? null : sent.textWritten();
    if (optedIn) {
      seen.streamsChecked++;
      seen.lost += Math.max(0, endChunks - nextSeq);
      if (endChunks > nextSeq) {
        tally.error("frontend", "chunks missing before the end");
      }
      if (!"complete".equals(endReason) || sent == null || endChunks != sent.written().get()
          || !text.toString().equals(expected)) {
        seen.textMismatches++;
      }
    } else {
      seen.legacyReplies++;
    }
    if (expected == null || !expected.equals(replyText)) {
      seen.replyMismatches++;
    }
    finished.complete();
  }
}
