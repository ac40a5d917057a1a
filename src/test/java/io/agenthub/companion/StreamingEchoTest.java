package io.agenthub.companion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The reference agent's streamed answers against a recorded socket: a word a chunk in order, the end with how many,
 * a cancel that stops it at once (nothing after its end), a stream taken back at the chunk the hub names, an end the
 * hub never confirmed sent again after a reconnect, and the whole REPLY when the hub refuses a stream.
 */
class StreamingEchoTest {
  private static final String STREAM = "st_" + "cd".repeat(16);

  private final Vertx vertx = Vertx.vertx();
  /** One event loop for everything the agent does, as a real agent's handlers run on one. */
  private final Context context = vertx.getOrCreateContext();
  private final BlockingQueue<JsonObject> sent = new LinkedBlockingQueue<>();
  private final BlockingQueue<Long> acknowledged = new LinkedBlockingQueue<>();
  private final BlockingQueue<JsonObject> repliedWhole = new LinkedBlockingQueue<>();
  private final StreamingEcho echo = new StreamingEcho(vertx, frame -> {
    sent.add(frame);
    return Future.succeededFuture();
  }, 100, (message, tag) -> repliedWhole.add(message), acknowledged::add);

  @AfterEach
  void close() {
    vertx.close();
  }

  @Test
  void anAnswerGoesAWordAChunkThenEndsWithHowManyAndIsAcknowledged() throws Exception {
    onContext(() -> echo.answer(question("m-1", "one two"), 7));
    assertEquals("m-1", next("STREAM_START").getString("in_reply_to_message_id"));
    onContext(() -> echo.onFrame(started("m-1", 0)));
    assertEquals(List.of("Echo: ", "one ", "two"), List.of(next("STREAM_CHUNK").getString("delta"),
        next("STREAM_CHUNK").getString("delta"), next("STREAM_CHUNK").getString("delta")));
    JsonObject end = next("STREAM_END");
    assertEquals("complete", end.getString("reason"));
    assertEquals(3L, end.getLong("seq"));
    assertTrue(acknowledged.isEmpty(), "not acknowledged before the hub confirmed the end");
    onContext(() -> echo.onFrame(endConfirmed("complete", 3)));
    assertEquals(7L, acknowledged.poll(5, TimeUnit.SECONDS));
  }

  @Test
  void anEndLostWithTheConnectionIsSentAgainOnceTheStreamIsTakenBack() throws Exception {
    onContext(() -> echo.answer(question("m-5", "one"), 11));
    next("STREAM_START");
    onContext(() -> echo.onFrame(started("m-5", 0)));
    next("STREAM_CHUNK");
    next("STREAM_CHUNK");
    next("STREAM_END");
    onContext(echo::onReregistered);
    assertEquals(STREAM, next("STREAM_START").getString("stream_id"), "the unconfirmed stream is taken back");
    onContext(() -> echo.onFrame(started("m-5", 2)));
    JsonObject again = next("STREAM_END");
    assertEquals(2L, again.getLong("seq"));
    assertEquals("complete", again.getString("reason"));
    onContext(() -> echo.onFrame(endConfirmed("complete", 2)));
    assertEquals(11L, acknowledged.poll(5, TimeUnit.SECONDS));
    assertNull(acknowledged.poll(), "acknowledged once");
  }

  @Test
  void aCancelStopsTheStreamAtOnceAndItsEndSaysHowFarItGot() throws Exception {
    onContext(() -> echo.answer(question("m-2", "a b c d e f g h i j k l m n o p q r s t u v w x y z"), 8));
    next("STREAM_START");
    onContext(() -> echo.onFrame(started("m-2", 0)));
    next("STREAM_CHUNK");
    onContext(() -> echo.onFrame(new JsonObject().put("message_type", "STREAM_CANCEL").put("stream_id", STREAM)
        .put("in_reply_to_message_id", "m-2")));
    // The end is written while the cancel is handled, before the agent's next tick could run: it stops at once.
    List<JsonObject> written = new ArrayList<>();
    sent.drainTo(written);
    JsonObject end = written.get(written.size() - 1);
    assertEquals("STREAM_END", end.getString("message_type"));
    assertEquals("cancelled", end.getString("reason"));
    assertEquals(1L + written.size() - 1, end.getLong("seq"), "the end says how many chunks went");
    assertTrue(end.getLong("seq") < 27, "it stopped before the end of its answer");
    onContext(() -> echo.onFrame(endConfirmed("cancelled", end.getLong("seq"))));
    assertEquals(8L, acknowledged.poll(5, TimeUnit.SECONDS));
  }

  @Test
  void aStreamTakenBackAfterAReconnectGoesOnAtTheChunkTheHubExpects() throws Exception {
    onContext(() -> echo.answer(question("m-3", "one two three"), 9));
    next("STREAM_START");
    onContext(() -> echo.onFrame(started("m-3", 0)));
    next("STREAM_CHUNK");
    onContext(echo::onReregistered);
    assertEquals(STREAM, next("STREAM_START").getString("stream_id"), "the stream is taken back by its id");
    onContext(() -> echo.onFrame(started("m-3", 2)));
    JsonObject chunk = next("STREAM_CHUNK");
    assertEquals(2L, chunk.getLong("seq"));
    assertEquals("two ", chunk.getString("delta"));
  }

  @Test
  void aRefusedStreamIsAnsweredWithTheWholeReply() throws Exception {
    onContext(() -> echo.answer(question("m-4", "hello"), 10));
    next("STREAM_START");
    onContext(() -> echo.onFrame(new JsonObject().put("message_type", "ERROR").put("error_code", "STREAM_NOT_ASKED")
        .put("text_payload", "not handed to you").put("in_reply_to_message_id", "m-4")));
    assertEquals("m-4", repliedWhole.poll(5, TimeUnit.SECONDS).getString("message_id"));
  }

  private JsonObject next(String type) throws InterruptedException {
    JsonObject frame = sent.poll(5, TimeUnit.SECONDS);
    assertEquals(type, frame == null ? null : frame.getString("message_type"), () -> "got " + sent);
    return frame;
  }

  private static JsonObject question(String messageId, String text) {
    return new JsonObject().put("message_type", "TEXT").put("message_id", messageId).put("text_payload", text)
        .put("sender_id", "web_00000001");
  }

  /** The hub's answer to the agent's end: the STREAM_END its viewers get. */
  private static JsonObject endConfirmed(String reason, long chunks) {
    return new JsonObject().put("message_type", "STREAM_END").put("stream_id", STREAM).put("reason", reason)
        .put("chunks", chunks);
  }

  private static JsonObject started(String messageId, long nextSeq) {
    return new JsonObject().put("message_type", "STREAM_STARTED").put("stream_id", STREAM)
        .put("in_reply_to_message_id", messageId).put("next_seq", nextSeq);
  }

  /** Runs on the Vert.x context the agent's timers use, as the agent's own handlers do. */
  private void onContext(Runnable action) throws Exception {
    CompletableFuture<Void> done = new CompletableFuture<>();
    context.runOnContext(v -> {
      action.run();
      done.complete(null);
    });
    done.get(5, TimeUnit.SECONDS);
  }
}
