package io.agenthub.bench;

import io.agenthub.protocol.Fields;
import io.agenthub.protocol.Frames;
import io.agenthub.protocol.MessageType;
import io.agenthub.protocol.Timestamps;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;

/**
 * A frontend in closed loop: sends one TEXT, waits for the REPLY that answers it (or an ERROR about it, or the
 * timeout), records the round trip and sends the next. All its state is touched on its own context only.
 */
final class ClosedLoopFrontend {
  private final Context context;
  private final String id;
  private final Consumer<JsonObject> outbound;
  private final RunWindow window;
  private final long timeoutMs;
  private final String payload;
  private final Histogram latencyMicros = RoundTripResult.newHistogram();
  private final Promise<Void> finished = Promise.promise();
  private long sequence;
  private String outstanding;
  private long sentAtNanos;
  private long timeoutTimer = -1;
  private long completed;
  private long errors;
  private long timeouts;

  ClosedLoopFrontend(Context context, String id, Consumer<JsonObject> outbound, RunWindow window, long timeoutMs,
      String payload) {
    this.context = context;
    this.id = id;
    this.outbound = outbound;
    this.window = window;
    this.timeoutMs = timeoutMs;
    this.payload = payload;
  }

  /** Completes when the window is over and the last message in flight is answered or timed out. */
  Future<Void> run() {
    context.runOnContext(v -> sendNext());
    return finished.future();
  }

  String id() {
    return id;
  }

  private void sendNext() {
    if (window.isOver(System.nanoTime())) {
      finished.tryComplete();
      return;
    }
    outstanding = id + "-" + ++sequence;
    sentAtNanos = System.nanoTime();
    timeoutTimer = context.owner().setTimer(timeoutMs, t -> onTimeout());
    outbound.accept(new JsonObject()
        .put(Fields.MESSAGE_TYPE, MessageType.TEXT.name())
        .put(Fields.MESSAGE_ID, outstanding)
        .put(Fields.SENDER_ID, id)
        .put(Fields.RECEIVER_ID, Frames.SERVER_ID)
        .put(Fields.TEXT_PAYLOAD, payload)
        .put(Fields.SEND_TIMESTAMP, Timestamps.format(Instant.now())));
  }

  /**
   * A REPLY or ERROR frame as text, perhaps a monitoring copy of another frontend's: parsed only if it names this
   * frontend's outstanding message, so F frontends watching each other's replies cost the generator little.
   */
  void onAnswerText(String text) {
    if (outstanding != null && text.contains(outstanding)) {
      onAnswer(new JsonObject(text));
    }
  }

  /** A REPLY or ERROR for this frontend; must be called on its context. */
  void onAnswer(JsonObject frame) {
    String inReplyTo = frame.getString(Fields.IN_REPLY_TO_MESSAGE_ID);
    if (outstanding == null || !outstanding.equals(inReplyTo)) {
      return;
    }
    long now = System.nanoTime();
    context.owner().cancelTimer(timeoutTimer);
    outstanding = null;
    if (window.measures(now)) {
      if (MessageType.REPLY.name().equals(frame.getString(Fields.MESSAGE_TYPE))) {
        completed++;
        latencyMicros.recordValue(Math.min((now - sentAtNanos) / 1_000, latencyMicros.getHighestTrackableValue()));
      } else {
        errors++;
      }
    }
    sendNext();
  }

  private void onTimeout() {
    if (window.measures(System.nanoTime())) {
      timeouts++;
    }
    outstanding = null;
    sendNext();
  }

  /** Read after {@link #run()} completed. */
  void addTo(RoundTripResult result) {
    result.add(completed, errors, timeouts, latencyMicros);
  }
}
