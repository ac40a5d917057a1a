package io.agenthub.companion;

import io.agenthub.protocol.Fields;
import io.agenthub.protocol.MessageType;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The echo agent's answers as streams (protocol extension "streamed replies"): "Echo: " and the text, a word a chunk
 * at {@code wordsPerSecond}. A cancel stops it at once, and its end says how far it got. After a reconnect each stream
 * is taken back and continues at the chunk the hub expects, so none is lost or repeated. Where the hub will not take
 * a stream (the message's record expired, too many streams, or a hub that restarted and lost it), the whole text goes
 * as an ordinary REPLY instead. The queued message is acknowledged once the hub confirmed the stream's end (it
 * answers the end with the STREAM_END its viewers get): an agent that dies mid-stream gets the message again, opens
 * the same stream and continues it, and one whose end was lost with its connection takes the stream back and ends it
 * again.
 */
final class StreamingEcho {
  private static final Logger LOG = LoggerFactory.getLogger(StreamingEcho.class);
  private static final long RETRY_MS = 500;

  /** A message being answered: its words, the agent's number for the answer, and how far the stream got. */
  private static final class Answer {
    final JsonObject message;
    final long answerId;
    final List<String> words;
    String streamId;
    long next;
    long timer = -1;
    /** How the agent ended the stream; null while it writes. Kept until the hub confirms the end. */
    String endReason;

    Answer(JsonObject message, long answerId) {
      this.message = message;
      this.answerId = answerId;
      this.words = words("Echo: " + message.getString(Fields.TEXT_PAYLOAD, ""));
    }

    String messageId() {
      return message.getString(Fields.MESSAGE_ID);
    }
  }

  private final Vertx vertx;
  /** Writes a frame on the agent's socket; fails while it is not connected. */
  private final Function<JsonObject, Future<Void>> hub;
  private final long periodMs;
  /** Sends the whole echo as a REPLY, then acknowledges the message's deliveries. */
  private final BiConsumer<JsonObject, Long> replyWhole;
  /** Acknowledges the deliveries of a message whose answer was sent. */
  private final LongConsumer acknowledge;
  private final Map<String, Answer> opening = new HashMap<>();
  private final Map<String, Answer> streaming = new HashMap<>();

  StreamingEcho(Vertx vertx, Function<JsonObject, Future<Void>> hub, int wordsPerSecond,
      BiConsumer<JsonObject, Long> replyWhole, LongConsumer acknowledge) {
    this.vertx = vertx;
    this.hub = hub;
    this.periodMs = Math.max(1, 1000 / wordsPerSecond);
    this.replyWhole = replyWhole;
    this.acknowledge = acknowledge;
  }

  /** "Echo: hello world" as chunks: each word with the space after it. */
  static List<String> words(String text) {
    return new ArrayList<>(Arrays.asList(text.split("(?<= )")));
  }

  void answer(JsonObject message, long answerId) {
    Answer answer = new Answer(message, answerId);
    opening.put(answer.messageId(), answer);
    hub.apply(new JsonObject().put(Fields.MESSAGE_TYPE, MessageType.STREAM_START.name())
        .put(Fields.IN_REPLY_TO_MESSAGE_ID, answer.messageId()));
  }

  /** Every frame from the hub: what concerns a stream is handled here. */
  void onFrame(JsonObject frame) {
    String type = frame.getString(Fields.MESSAGE_TYPE, "");
    if (type.equals(MessageType.STREAM_STARTED.name())) {
      onStarted(frame);
    } else if (type.equals(MessageType.STREAM_END.name())) {
      onEndConfirmed(streaming.remove(frame.getString(Fields.STREAM_ID)));
    } else if (type.equals(MessageType.STREAM_CANCEL.name())) {
      onCancel(streaming.get(frame.getString(Fields.STREAM_ID)));
    } else if (type.equals(MessageType.ERROR.name())) {
      onError(frame);
    }
  }

  /**
   * After a reconnect: every stream is taken back, every opening asked again, and each goes on where it was; a stream
   * whose end the hub did not confirm is ended again (or the hub says it has ended).
   */
  void onReregistered() {
    for (Answer answer : streaming.values()) {
      stopTicking(answer);
      hub.apply(new JsonObject().put(Fields.MESSAGE_TYPE, MessageType.STREAM_START.name())
          .put(Fields.STREAM_ID, answer.streamId));
    }
    for (Answer answer : opening.values()) {
      hub.apply(new JsonObject().put(Fields.MESSAGE_TYPE, MessageType.STREAM_START.name())
          .put(Fields.IN_REPLY_TO_MESSAGE_ID, answer.messageId()));
    }
  }

  private void onStarted(JsonObject frame) {
    String streamId = frame.getString(Fields.STREAM_ID);
    Answer answer = streaming.containsKey(streamId) ? streaming.get(streamId)
        : opening.remove(frame.getString(Fields.IN_REPLY_TO_MESSAGE_ID));
    if (answer == null) {
      return;
    }
    answer.streamId = streamId;
    answer.next = frame.getLong(Fields.NEXT_SEQ, 0L);
    streaming.put(streamId, answer);
    stopTicking(answer);
    answer.timer = vertx.setPeriodic(1, periodMs, t -> tick(answer));
  }

  private void tick(Answer answer) {
    if (answer.endReason != null || answer.next >= answer.words.size()) {
      stopTicking(answer);
      end(answer, answer.endReason != null ? answer.endReason : "complete");
      return;
    }
    JsonObject chunk = new JsonObject().put(Fields.MESSAGE_TYPE, MessageType.STREAM_CHUNK.name())
        .put(Fields.STREAM_ID, answer.streamId).put(Fields.SEQ, answer.next)
        .put(Fields.DELTA, answer.words.get((int) answer.next));
    answer.next++;
    hub.apply(chunk).onFailure(lost -> {
      // The connection is gone: the stream is taken back, at the chunk the hub kept, once it is registered again.
      stopTicking(answer);
    });
  }

  /** Stops within the tick it is in (well under 100 ms) and says how far it got. */
  private void onCancel(Answer answer) {
    if (answer != null) {
      stopTicking(answer);
      LOG.info("Stream {} cancelled after {} of {} words", answer.streamId, answer.next, answer.words.size());
      end(answer, "cancelled");
    }
  }

  /** Ends the stream; it stays the agent's until the hub confirms the end. */
  private void end(Answer answer, String reason) {
    answer.endReason = reason;
    hub.apply(new JsonObject().put(Fields.MESSAGE_TYPE, MessageType.STREAM_END.name())
        .put(Fields.STREAM_ID, answer.streamId).put(Fields.SEQ, answer.next).put(Fields.REASON, reason));
  }

  private void onEndConfirmed(Answer answer) {
    if (answer != null) {
      acknowledge.accept(answer.answerId);
    }
  }

  /**
   * A refused opening, or a stream the hub no longer has (it restarted): the answer goes whole as a REPLY. A stream
   * that ended meanwhile (cut off, or cancelled while this agent was away) is finished.
   */
  private void onError(JsonObject error) {
    String code = error.getString(Fields.ERROR_CODE, "");
    Answer answer = error.containsKey(Fields.STREAM_ID) ? streaming.get(error.getString(Fields.STREAM_ID))
        : opening.get(error.getString(Fields.IN_REPLY_TO_MESSAGE_ID));
    if (answer == null) {
      return;
    }
    LOG.warn("Stream answering {} refused by the hub ({}): {}", answer.messageId(), code,
        error.getString(Fields.TEXT_PAYLOAD));
    if (code.equals("UNAVAILABLE")) {
      retryLater(answer);
    } else if (code.equals("STREAM_ENDED") || code.equals("STREAM_TOO_LARGE")) {
      stopTicking(answer);
      streaming.remove(answer.streamId);
      acknowledge.accept(answer.answerId);
    } else if (!code.equals("STREAM_OUT_OF_ORDER")) {
      stopTicking(answer);
      opening.remove(answer.messageId());
      if (answer.streamId != null) {
        streaming.remove(answer.streamId);
      }
      replyWhole.accept(answer.message, answer.answerId);
    }
  }

  /** The hub could not serve the opening now (an instance is taking the stream over): it is asked again. */
  private void retryLater(Answer answer) {
    stopTicking(answer);
    vertx.setTimer(RETRY_MS, t -> hub.apply(answer.streamId == null
        ? new JsonObject().put(Fields.MESSAGE_TYPE, MessageType.STREAM_START.name())
            .put(Fields.IN_REPLY_TO_MESSAGE_ID, answer.messageId())
        : new JsonObject().put(Fields.MESSAGE_TYPE, MessageType.STREAM_START.name())
            .put(Fields.STREAM_ID, answer.streamId)));
  }

  private void stopTicking(Answer answer) {
    if (answer.timer >= 0) {
      vertx.cancelTimer(answer.timer);
      answer.timer = -1;
    }
  }
}
