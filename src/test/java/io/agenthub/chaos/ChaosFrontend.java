package io.agenthub.chaos;

import io.agenthub.protocol.Fields;
import io.agenthub.protocol.Frames;
import io.agenthub.protocol.MessageType;
import io.agenthub.protocol.Timestamps;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A frontend in closed loop under faults: sends a TEXT, waits for its answer (REPLY, directly or as a monitoring
 * copy), an ERROR naming it or the timeout, and sends the next, recording everything in the {@link Ledger}. After an
 * ERROR it pauses briefly, as a user would before retrying, so an outage does not turn into a busy loop. When the hub
 * closes its socket it registers again, at the next URL of its list (a surviving instance).
 *
 * <p>In resuming mode it closes its socket right after each send, while the answer is in flight, and registers
 * again after {@code awayMs} with {@code REGISTER_FRONTEND} carrying its previous {@code frontend_id} (the
 * session-resume extension). All state is touched on its own context only.
 */
final class ChaosFrontend {
  private static final String TYPE_PREFIX = "\"" + Fields.MESSAGE_TYPE + "\":\"";
  private static final long RECONNECT_DELAY_MS = 200;

  /** How the load behaves; {@code awayMs} < 0: stay connected. The end may be moved while the load runs. */
  record Behaviour(long timeoutMs, long errorPauseMs, long awayMs, String payload, AtomicLong endNanos) {
    boolean resuming() {
      return awayMs >= 0;
    }

    boolean over() {
      return System.nanoTime() >= endNanos.get();
    }
  }

  private final Context context;
  private final WebSocketClient client;
  private final String key;
  private final List<String> urls;
  private final Ledger ledger;
  private final Behaviour behaviour;
  private final ChaosCounters counters;
  private final Promise<Void> finished = Promise.promise();
  private int urlIndex;
  /** The registered socket; null while away or while a new one is still registering (nothing may be sent then). */
  private WebSocket socket;
  private WebSocket registering;
  private String hubId;
  private boolean onDoomedInstance;
  private long sequence;
  private String outstanding;
  private long timer = -1;

  ChaosFrontend(Context context, WebSocketClient client, String key, List<String> urls, Ledger ledger,
      Behaviour behaviour, ChaosCounters counters) {
    this.context = context;
    this.client = client;
    this.key = key;
    this.urls = urls;
    this.ledger = ledger;
    this.behaviour = behaviour;
    this.counters = counters;
  }

  String key() {
    return key;
  }

  /** Completes once registered; the loop then runs until {@link #finished()}. */
  Future<Void> start() {
    Promise<Void> started = Promise.promise();
    context.runOnContext(v -> register(null).onSuccess(id -> {
      sendNext();
      started.complete();
    }).onFailure(started::fail));
    return started.future();
  }

  /** Completes when the run is over and the last message is settled or timed out. */
  Future<Void> finished() {
    return finished.future();
  }

  /** Its messages unresolved when its socket goes are counted apart: the instance it is on is about to die. */
  void markOnDoomedInstance() {
    context.runOnContext(v -> onDoomedInstance = true);
  }

  private Future<String> register(String previousId) {
    Promise<String> registered = Promise.promise();
    client.connect(new WebSocketConnectOptions().setAbsoluteURI(urls.get(urlIndex))).onSuccess(opened -> {
      registering = opened;
      JsonObject registration = new JsonObject().put(Fields.MESSAGE_TYPE, MessageType.REGISTER_FRONTEND.name())
          .put("frontend_name", key);
      if (previousId != null) {
        registration.put("frontend_id", previousId);
      }
      opened.textMessageHandler(text -> onText(opened, text, registered, previousId));
      opened.closeHandler(v -> onClosed(opened, registered));
      opened.writeTextMessage(registration.encode()).onFailure(registered::tryFail);
    }).onFailure(registered::tryFail);
    return registered.future();
  }

  private void onText(WebSocket from, String text, Promise<String> registered, String previousId) {
    String type = messageType(text);
    if (!registered.future().isComplete()) {
      JsonObject answer = new JsonObject(text);
      if ("REGISTER_FRONTEND_RESPONSE".equals(type) && "success".equals(answer.getString("status"))) {
        hubId = answer.getString("frontend_id");
        registering = null;
        socket = from;
        if (previousId != null) {
          counters.resumeAsked(previousId.equals(hubId));
        }
        registered.complete(hubId);
      } else {
        registering = null;
        from.close();
        registered.fail("registration refused: " + text);
      }
      return;
    }
    if (!MessageType.REPLY.name().equals(type) && !MessageType.ERROR.name().equals(type)) {
      return;
    }
    JsonObject frame = new JsonObject(text);
    String about = frame.getString(Fields.IN_REPLY_TO_MESSAGE_ID);
    if (about == null) {
      return;
    }
    boolean mine = MessageType.REPLY.name().equals(type)
        ? ledger.answered(key, about, frame.getString(Fields.MESSAGE_ID), System.nanoTime())
        : ledger.error(key, about, frame.getString(Fields.ERROR_CODE, "none: " + frame.getString(Fields.TEXT_PAYLOAD)));
    if (mine && about.equals(outstanding)) {
      settleOutstanding(MessageType.ERROR.name().equals(type) ? behaviour.errorPauseMs() : 0);
    }
  }

  private void sendNext() {
    if (behaviour.over()) {
      finished.tryComplete();
      return;
    }
    if (socket == null) {
      // The socket went during an error pause; the reconnect sends the next message.
      return;
    }
    String messageId = key + "-" + ++sequence;
    outstanding = messageId;
    ledger.sent(key, messageId, System.nanoTime());
    timer = context.owner().setTimer(behaviour.timeoutMs(), t -> {
      timer = -1;
      counters.timedOut();
      settleOutstanding(0);
    });
    WebSocket current = socket;
    current.writeTextMessage(new JsonObject()
        .put(Fields.MESSAGE_TYPE, MessageType.TEXT.name())
        .put(Fields.MESSAGE_ID, messageId)
        .put(Fields.SENDER_ID, hubId)
        .put(Fields.RECEIVER_ID, Frames.SERVER_ID)
        .put(Fields.TEXT_PAYLOAD, behaviour.payload())
        .put(Fields.SEND_TIMESTAMP, Timestamps.format(Instant.now())).encode())
        .onSuccess(written -> {
          if (behaviour.resuming()) {
            stepAway(current);
          }
        });
  }

  private void settleOutstanding(long pauseMs) {
    outstanding = null;
    if (timer != -1) {
      context.owner().cancelTimer(timer);
      timer = -1;
    }
    if (socket == null) {
      return;
    }
    if (pauseMs > 0) {
      context.owner().setTimer(pauseMs, t -> sendNext());
    } else {
      sendNext();
    }
  }

  /** Resuming mode: the socket goes while the answer is in flight, and the frontend comes back with its id. */
  private void stepAway(WebSocket current) {
    if (current != socket) {
      // An earlier message on this socket already stepped away (its answer came before its write completed).
      return;
    }
    socket = null;
    current.close();
    String previousId = hubId;
    context.owner().setTimer(Math.max(1, behaviour.awayMs()), t -> reconnect(previousId));
  }

  private void onClosed(WebSocket closed, Promise<String> registered) {
    registered.tryFail("closed before registration finished");
    if (closed != socket) {
      return;
    }
    socket = null;
    counters.closedByHub(closed.closeStatusCode());
    if (onDoomedInstance) {
      onDoomedInstance = false;
      ledger.moveUnresolvedToLostInstance(key);
      urlIndex = Math.min(urlIndex + 1, urls.size() - 1);
    }
    outstanding = null;
    if (timer != -1) {
      context.owner().cancelTimer(timer);
      timer = -1;
    }
    context.owner().setTimer(RECONNECT_DELAY_MS, t -> reconnect(null));
  }

  /**
   * After the load is over a frontend still comes back while an answer of its may wait in its resume queue (a
   * message whose loop timeout expired while it was away): staying away would lose that answer, not the hub.
   */
  private void reconnect(String previousId) {
    boolean answerMayWait = previousId != null && ledger.unresolved(key) > 0;
    if (behaviour.over() && outstanding == null && !answerMayWait) {
      finished.tryComplete();
      return;
    }
    register(previousId).onSuccess(id -> {
      counters.reconnected();
      if (outstanding == null) {
        sendNext();
      }
    }).onFailure(e -> context.owner().setTimer(RECONNECT_DELAY_MS, t -> reconnect(previousId)));
  }

  Future<Void> close() {
    Promise<Void> closed = Promise.promise();
    context.runOnContext(v -> {
      WebSocket open = socket != null ? socket : registering;
      socket = null;
      registering = null;
      (open == null ? Future.<Void>succeededFuture() : open.close()).onComplete(closed);
    });
    return closed.future();
  }

  /** The message_type of a hub frame without parsing it: the hub always writes message_type first. */
  private static String messageType(String text) {
    int start = text.indexOf(TYPE_PREFIX);
    if (start < 0) {
      return "";
    }
    start += TYPE_PREFIX.length();
    int end = text.indexOf('"', start);
    return end < 0 ? "" : text.substring(start, end);
  }
}
