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
import java.util.UUID;

/**
 * A one-shot frontend for trying the hub from a shell: registers, sends one TEXT to "server" (as the React UI does),
 * prints every frame the hub sends back, and finishes when the answer to that message arrives.
 */
public final class ChatCommand {
  private final Vertx vertx;
  private final CompanionSettings settings;
  private final PrintStream out;

  public ChatCommand(Vertx vertx, CompanionSettings settings, PrintStream out) {
    this.vertx = vertx;
    this.settings = settings;
    this.out = out;
  }

  /** Completes with the REPLY, or fails with the hub's ERROR text or on timeout. */
  public Future<JsonObject> ask(String text, long timeoutMs) {
    String messageId = UUID.randomUUID().toString();
    Promise<JsonObject> answered = Promise.promise();
    HubSocket hub = new HubSocket(vertx, settings, ClientRole.FRONTEND, "Chat",
        frame -> onFrame(frame, messageId, answered));
    long timer = vertx.setTimer(timeoutMs, expired ->
        answered.tryFail("no answer within " + timeoutMs + " ms (is a broker and an agent running?)"));
    hub.connect()
        .compose(id -> {
          out.println("Registered as frontend " + id + " at " + settings.websocketUrl() + "; sending: " + text);
          return hub.send(message(id, messageId, text));
        })
        .onFailure(answered::tryFail);
    return answered.future().eventually(() -> {
      vertx.cancelTimer(timer);
      return hub.close();
    });
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

  private void onFrame(JsonObject frame, String messageId, Promise<JsonObject> answered) {
    out.println(frame.encode());
    if (!messageId.equals(frame.getString(Fields.IN_REPLY_TO_MESSAGE_ID))) {
      return;
    }
    String type = frame.getString(Fields.MESSAGE_TYPE);
    if (MessageType.REPLY.name().equals(type)) {
      answered.tryComplete(frame);
    } else if (MessageType.ERROR.name().equals(type)) {
      answered.tryFail(frame.getString(Fields.TEXT_PAYLOAD));
    }
  }
}
