package io.agenthub.companion;

import io.agenthub.clock.HubClock;
import io.agenthub.protocol.ClientRole;
import io.agenthub.protocol.Fields;
import io.agenthub.protocol.Frames;
import io.agenthub.protocol.MessageType;
import io.agenthub.protocol.Timestamps;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A one-shot frontend for trying the hub from a shell: registers (opting in to streamed replies), sends one TEXT to
 * "server" (as the React UI does), prints every frame the hub sends back, and finishes when the answer to that
 * message arrives. A streamed answer is printed as its words arrive; {@link #cancel} (Ctrl-C) asks the agent to stop.
 */
public final class ChatCommand {
  private static final long CANCEL_WAIT_MS = 2_000;

  private final Vertx vertx;
  private final CompanionSettings settings;
  private final PrintStream out;
  private final Promise<JsonObject> answered = Promise.promise();
  /** Frames that came while a stream was printed, printed after it so that they do not break its line. */
  private final List<JsonObject> heldBack = new ArrayList<>();
  private HubSocket hub;
  private String messageId;
  private String streamId;
  private long sentAtNanos;
  private long firstTokenNanos;
  private long timer = -1;

  public ChatCommand(Vertx vertx, CompanionSettings settings, PrintStream out) {
    this.vertx = vertx;
    this.settings = settings;
    this.out = out;
  }

  /**
   * Completes with the REPLY (or the end of the streamed reply), or fails with the hub's ERROR text, or when nothing
   * answered the message for {@code timeoutMs}.
   */
  public Future<JsonObject> ask(String text, long timeoutMs) {
    messageId = UUID.randomUUID().toString();
    hub = new HubSocket(vertx, settings, ClientRole.FRONTEND, "Chat", frame -> onFrame(frame, timeoutMs))
        .withRegistrationFields(new JsonObject().put(Fields.STREAMS, true));
    restartTimer(timeoutMs);
    hub.connect()
        .compose(id -> {
          out.println("Registered as frontend " + id + " at " + settings.websocketUrl() + "; sending: " + text);
          sentAtNanos = System.nanoTime();
          return hub.send(message(id, messageId, text));
        })
        .onFailure(answered::tryFail);
    return answered.future().eventually(() -> {
      vertx.cancelTimer(timer);
      return hub.close();
    });
  }

  /**
   * Asks the agent to stop a streamed answer in progress; completes when the stream ended (or after a short wait).
   * Does nothing when no stream is in progress.
   */
  public Future<Void> cancel() {
    if (streamId == null || answered.future().isComplete()) {
      return Future.succeededFuture();
    }
    out.println();
    out.println("[cancelling " + streamId + "]");
    hub.send(new JsonObject().put(Fields.MESSAGE_TYPE, MessageType.STREAM_CANCEL.name())
        .put(Fields.STREAM_ID, streamId));
    Promise<Void> ended = Promise.promise();
    long wait = vertx.setTimer(CANCEL_WAIT_MS, t -> ended.tryComplete());
    answered.future().onComplete(done -> {
      vertx.cancelTimer(wait);
      ended.tryComplete();
    });
    return ended.future();
  }

  private static JsonObject message(String senderId, String messageId, String text) {
    return new JsonObject()
        .put(Fields.MESSAGE_TYPE, MessageType.TEXT.name())
        .put(Fields.MESSAGE_ID, messageId)
        .put(Fields.SENDER_ID, senderId)
        .put(Fields.RECEIVER_ID, Frames.SERVER_ID)
        .put(Fields.TEXT_PAYLOAD, text)
        .put(Fields.SEND_TIMESTAMP, Timestamps.format(HubClock.SYSTEM.now()));
  }

  private void onFrame(JsonObject frame, long timeoutMs) {
    String type = frame.getString(Fields.MESSAGE_TYPE, "");
    boolean ours = messageId.equals(frame.getString(Fields.IN_REPLY_TO_MESSAGE_ID));
    boolean ourStream = streamId != null && streamId.equals(frame.getString(Fields.STREAM_ID));
    if (type.equals(MessageType.STREAM_START.name()) && ours && streamId == null) {
      streamId = frame.getString(Fields.STREAM_ID);
      restartTimer(timeoutMs);
      out.print(frame.getString(Fields.AGENT_NAME, "agent") + " (" + streamId + "): ");
    } else if (type.equals(MessageType.STREAM_CHUNK.name()) && ourStream) {
      firstTokenNanos = firstTokenNanos == 0 ? System.nanoTime() : firstTokenNanos;
      restartTimer(timeoutMs);
      out.print(frame.getString(Fields.DELTA));
      out.flush();
    } else if (type.equals(MessageType.STREAM_END.name()) && ourStream) {
      printEnd(frame);
      answered.tryComplete(frame);
    } else if (streamId != null && !answered.future().isComplete()) {
      heldBack.add(frame);
    } else {
      out.println(frame.encode());
      if (ours && type.equals(MessageType.REPLY.name()) && streamId == null) {
        answered.tryComplete(frame);
      } else if (ours && type.equals(MessageType.ERROR.name())) {
        answered.tryFail(frame.getString(Fields.TEXT_PAYLOAD));
      }
    }
  }

  private void printEnd(JsonObject end) {
    out.println();
    String why = end.containsKey(Fields.ERROR_CODE)
        ? " (" + end.getString(Fields.ERROR_CODE) + ": " + end.getString(Fields.TEXT_PAYLOAD) + ")" : "";
    long ttftMs = firstTokenNanos == 0 ? -1 : (firstTokenNanos - sentAtNanos) / 1_000_000;
    out.println("[stream " + end.getString(Fields.REASON) + why + " after " + end.getLong(Fields.CHUNKS)
        + " chunks" + (ttftMs < 0 ? "" : "; first token " + ttftMs + " ms after sending") + "]");
    heldBack.forEach(frame -> out.println(frame.encode()));
    heldBack.clear();
  }

  private void restartTimer(long timeoutMs) {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    timer = vertx.setTimer(timeoutMs, expired -> answered.tryFail("no answer for " + timeoutMs
        + " ms (is a broker and an agent running?)"));
  }
}
