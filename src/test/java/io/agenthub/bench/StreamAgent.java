package io.agenthub.bench;

import io.agenthub.protocol.ClientRole;
import io.agenthub.protocol.Fields;
import io.agenthub.protocol.MessageType;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A streaming agent of the streams scenario, speaking the stream frames itself over its WebSocket (registered with
 * {@code "streams": true} and {@code "delivery": "websocket"}): for each message it gets it opens a stream, and once
 * the stream is opened writes chunks of {@code chunkChars} random characters, one every {@code 1000 / rate} ms on a
 * timer of its own (so streams keep their own phase, as independent generations do), until {@code tokens} or until
 * the scenario wraps up ({@link StreamTally#wrapUp}), then ends it as complete. Each chunk's send time and the
 * stream's text go to the {@link StreamTally}. Runs on its Vert.x context; any ERROR or cancel it gets is counted as
 * an error.
 */
final class StreamAgent {
  private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ";

  private final Context context;
  private final BenchClient socket;
  private final StreamTally tally;
  private final int tokens;
  private final int chunkChars;
  private final long periodMs;
  private final Set<String> streams = new HashSet<>();

  StreamAgent(Context context, WebSocketClient client, String url, String name, StreamTally tally, int tokens,
      int chunkChars, int rate) {
    this.context = context;
    this.tally = tally;
    this.tokens = tokens;
    this.chunkChars = chunkChars;
    this.periodMs = Math.max(1, 1000 / rate);
    this.socket = new BenchClient(client, new WebSocketConnectOptions().setAbsoluteURI(url), ClientRole.AGENT, name,
        this::onFrame).registeringWith(new JsonObject().put(Fields.STREAMS, true).put("delivery", "websocket"));
  }

  Future<String> connect() {
    return Bench.onContext(context, () -> socket.connect(null));
  }

  String id() {
    return socket.id();
  }

  Future<Void> close() {
    return Bench.onContext(context, socket::close);
  }

  private void onFrame(String type, String text) {
    if (MessageType.TEXT.name().equals(type)) {
      JsonObject message = new JsonObject(text);
      socket.send(new JsonObject().put(Fields.MESSAGE_TYPE, MessageType.STREAM_START.name())
          .put(Fields.IN_REPLY_TO_MESSAGE_ID, message.getString(Fields.MESSAGE_ID)));
    } else if (MessageType.STREAM_STARTED.name().equals(type)) {
      String streamId = new JsonObject(text).getString(Fields.STREAM_ID);
      if (streams.add(streamId)) {
        write(streamId);
      }
    } else if (MessageType.STREAM_END.name().equals(type)) {
      tally.endsConfirmed.increment();
    } else if (MessageType.ERROR.name().equals(type) || MessageType.STREAM_CANCEL.name().equals(type)) {
      JsonObject frame = new JsonObject(text);
      tally.error("agent", type + " " + frame.getString("error_code", "") + " " + frame.getString("text_payload", ""));
    }
  }

  private void write(String streamId) {
    StringBuilder text = new StringBuilder(tokens * chunkChars);
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int i = 0; i < tokens * chunkChars; i++) {
      text.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    }
    StreamTally.Sent stream = new StreamTally.Sent(text.toString(), chunkChars, new AtomicLongArray(tokens),
        new AtomicInteger());
    tally.opened(streamId, stream);
    tally.writing.increment();
    int[] next = {0};
    chunk(streamId, stream, next[0]++);
    context.owner().setPeriodic(periodMs, timer -> {
      if (!socket.isOpen()) {
        context.owner().cancelTimer(timer);
      } else if (next[0] < tokens && !tally.wrapUp) {
        chunk(streamId, stream, next[0]++);
      } else {
        context.owner().cancelTimer(timer);
        tally.writing.decrement();
        socket.send(new JsonObject().put(Fields.MESSAGE_TYPE, MessageType.STREAM_END.name())
            .put(Fields.STREAM_ID, streamId).put(Fields.SEQ, next[0]).put(Fields.REASON, "complete"));
      }
    });
  }

  private void chunk(String streamId, StreamTally.Sent stream, int seq) {
    JsonObject chunk = new JsonObject().put(Fields.MESSAGE_TYPE, MessageType.STREAM_CHUNK.name())
        .put(Fields.STREAM_ID, streamId).put(Fields.SEQ, seq).put(Fields.DELTA, stream.delta(seq));
    stream.sentNanos().set(seq, System.nanoTime());
    stream.written().set(seq + 1);
    socket.send(chunk);
    tally.chunksSent.increment();
  }
}
