package io.agenthub.chaos;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A frontend of the stream chaos scenarios, opted in to streams: it asks one question at a time and follows the
 * stream that answers it, recording every chunk's seq in the {@link StreamLedger}. When its socket goes (its instance
 * was killed) it reconnects to the next of its URLs, resumes its session (retrying while the cluster has not yet
 * noticed the death, as a careful client does on CLIENT_ID_IN_USE), and joins its open stream again from the chunk
 * after the last it got. Runs on its Vert.x context.
 */
final class StreamViewerClient {
  private static final long RETRY_MS = 500;

  private final Context context;
  private final WebSocketClient client;
  private final String key;
  private final List<String> urls;
  private final StreamLedger ledger;
  private final int words;
  private final AtomicLong loadEnd;
  private final Promise<Void> finished = Promise.promise();
  private int urlIndex;
  private WebSocket socket;
  private String clientId;
  private String questionId;
  private String expected;
  private String streamId;
  private long nextSeq;
  private boolean stopped;
  private int reconnects;

  StreamViewerClient(Context context, WebSocketClient client, String key, List<String> urls, StreamLedger ledger,
      int words, AtomicLong loadEnd) {
    this.context = context;
    this.client = client;
    this.key = key;
    this.urls = urls;
    this.ledger = ledger;
    this.words = words;
    this.loadEnd = loadEnd;
  }

  Future<Void> start() {
    Promise<Void> registered = Promise.promise();
    context.runOnContext(v -> connect(registered));
    return registered.future();
  }

  Future<Void> finished() {
    return finished.future();
  }

  int reconnects() {
    return reconnects;
  }

  Future<Void> close() {
    Promise<Void> closed = Promise.promise();
    context.runOnContext(v -> {
      stopped = true;
      finished.tryComplete();
      (socket == null ? Future.<Void>succeededFuture() : socket.close()).onComplete(done -> closed.complete());
    });
    return closed.future();
  }

  private void connect(Promise<Void> registered) {
    client.connect(new WebSocketConnectOptions().setAbsoluteURI(urls.get(urlIndex))).onComplete(opened -> {
      socket = opened;
      opened.textMessageHandler(text -> onFrame(new JsonObject(text), registered));
      opened.closeHandler(v -> onClosed());
      register();
    }, failed -> retryLater(registered));
  }

  private void register() {
    JsonObject registration = new JsonObject().put("message_type", "REGISTER_FRONTEND")
        .put("frontend_name", "StreamViewer-" + key).put("streams", true);
    if (clientId != null) {
      registration.put("frontend_id", clientId);
    }
    socket.writeTextMessage(registration.encode());
  }

  private void onFrame(JsonObject frame, Promise<Void> registered) {
    String type = frame.getString("message_type", "");
    switch (type) {
      case "REGISTER_FRONTEND_RESPONSE" -> {
        clientId = frame.getString("frontend_id");
        registered.tryComplete();
        if (streamId != null) {
          socket.writeTextMessage(new JsonObject().put("message_type", "STREAM_JOIN").put("stream_id", streamId)
              .put("from_seq", nextSeq).encode());
        } else if (questionId != null) {
          // The stream may have opened while this viewer was away: it is found by the question it answers.
          socket.writeTextMessage(new JsonObject().put("message_type", "STREAM_JOIN")
              .put("in_reply_to_message_id", questionId).put("from_seq", 0).encode());
        } else {
          ask();
        }
      }
      case "ERROR" -> onError(frame);
      case "STREAM_START" -> onStart(frame);
      case "STREAM_CHUNK" -> onChunk(frame);
      case "STREAM_END" -> onEnd(frame);
      default -> { }
    }
  }

  private void onError(JsonObject error) {
    if ("CLIENT_ID_IN_USE".equals(error.getString("error_code"))) {
      context.owner().setTimer(RETRY_MS, t -> register());
    } else if ("STREAM_UNKNOWN".equals(error.getString("error_code")) && error.containsKey("in_reply_to_message_id")) {
      // No stream answers the question yet: it will be joined when one opens.
      return;
    } else if (error.containsKey("stream_id")) {
      ledger.error(key, error.getString("error_code"));
    }
  }

  private void ask() {
    if (stopped || System.nanoTime() >= loadEnd.get()) {
      finished.tryComplete();
      return;
    }
    questionId = UUID.randomUUID().toString();
    String text = IntStream.range(0, words).mapToObj(i -> key + "w" + i).collect(Collectors.joining(" "));
    expected = "Echo: " + text;
    ledger.asked(questionId);
    socket.writeTextMessage(new JsonObject().put("message_type", "TEXT").put("message_id", questionId)
        .put("sender_id", clientId).put("receiver_id", "server").put("text_payload", text).encode());
  }

  private void onStart(JsonObject start) {
    if (questionId != null && questionId.equals(start.getString("in_reply_to_message_id")) && streamId == null
        && (start.getString("receiver_id") == null || start.getString("receiver_id").equals(clientId))) {
      streamId = start.getString("stream_id");
      nextSeq = 0;
      ledger.started(questionId, streamId, expected);
    }
  }

  private void onChunk(JsonObject chunk) {
    if (streamId != null && streamId.equals(chunk.getString("stream_id"))) {
      long seq = chunk.getLong("seq");
      long last = chunk.getLong("last_seq", seq);
      ledger.chunks(streamId, seq, last, chunk.getString("delta"));
      nextSeq = Math.max(nextSeq, last + 1);
    }
  }

  private void onEnd(JsonObject end) {
    if (streamId != null && streamId.equals(end.getString("stream_id"))) {
      ledger.ended(streamId, end.getString("reason"), end.getString("error_code"), end.getLong("chunks"));
      streamId = null;
      questionId = null;
      ask();
    }
  }

  /** The instance went: the next URL, the same session. */
  private void onClosed() {
    if (stopped) {
      return;
    }
    reconnects++;
    urlIndex = (urlIndex + 1) % urls.size();
    retryLater(Promise.promise());
  }

  private void retryLater(Promise<Void> registered) {
    if (stopped) {
      registered.tryFail("stopped");
      return;
    }
    context.owner().setTimer(RETRY_MS, t -> connect(registered));
  }
}
