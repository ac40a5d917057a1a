package io.agenthub.bench;

import io.agenthub.protocol.ClientRole;
import io.agenthub.protocol.Fields;
import io.agenthub.protocol.MessageType;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.util.function.BiConsumer;

/**
 * One simulated client of the hub: registers in a role, keeps the keepalive the contract asks of that role (an agent
 * answers PING with PONG and its id, a broker answers SERVER_HEARTBEAT with PONG) and hands every later frame, with its
 * message_type read cheaply from the text, to a handler. Frames are parsed as JSON only by handlers that need them, so
 * twenty thousand idle clients cost the generator little.
 */
final class BenchClient {
  private static final String TYPE_PREFIX = "\"" + Fields.MESSAGE_TYPE + "\":\"";

  private final WebSocketClient client;
  private final WebSocketConnectOptions target;
  private final ClientRole role;
  private final String name;
  private final BiConsumer<String, String> frames;
  private JsonObject extraRegistration = new JsonObject();
  private WebSocket socket;
  private String id;
  private volatile boolean closedByServer;
  private volatile long heartbeats;
  /** Refusals that said when to come back, and were honoured. */
  private int hintedRetries;

  /** {@code frames} gets (message_type, frame text) of every frame after the registration answer. */
  BenchClient(WebSocketClient client, WebSocketConnectOptions target, ClientRole role, String name,
      BiConsumer<String, String> frames) {
    this.client = client;
    this.target = target;
    this.role = role;
    this.name = name;
    this.frames = frames;
  }

  /** Fields added to the registration, e.g. {@code "streams": true}; before {@link #connect}. */
  BenchClient registeringWith(JsonObject extra) {
    extraRegistration = extra.copy();
    return this;
  }

  /**
   * Connects and registers; {@code resumeId} asks for an agent's previous id back. Completes with the id. A refusal
   * that says when to come back ({@link RetryHints}) is honoured as the reference companions honour it, and counted.
   */
  Future<String> connect(String resumeId) {
    Promise<String> registered = Promise.promise();
    open(registration(resumeId), registered);
    return registered.future();
  }

  private JsonObject registration(String resumeId) {
    JsonObject registration = new JsonObject().put(Fields.MESSAGE_TYPE, registrationType().name())
        .put(role.nameField(), name).mergeIn(extraRegistration);
    if (resumeId != null) {
      registration.put(Fields.AGENT_ID, resumeId);
    }
    return registration;
  }

  private void open(JsonObject registration, Promise<String> registered) {
    closedByServer = false;
    client.connect(target).onSuccess(opened -> {
      socket = opened;
      opened.textMessageHandler(text -> onText(text, registration, registered));
      opened.closeHandler(v -> {
        closedByServer = socket == opened && id != null;
        registered.tryFail("closed before registration finished");
      });
      opened.exceptionHandler(e -> registered.tryFail(e));
      opened.writeTextMessage(registration.encode()).onFailure(registered::tryFail);
    }).onFailure(failed -> {
      long wait = RetryHints.ofUpgrade(failed);
      if (wait == 0) {
        registered.tryFail(failed);
        return;
      }
      hintedRetries++;
      Vertx.currentContext().owner().setTimer(RetryHints.withJitter(wait), t -> open(registration, registered));
    });
  }

  private MessageType registrationType() {
    return switch (role) {
      case FRONTEND -> MessageType.REGISTER_FRONTEND;
      case AGENT -> MessageType.REGISTER_AGENT;
      case BROKER -> MessageType.REGISTER_BROKER;
    };
  }

  private void onText(String text, JsonObject registration, Promise<String> registered) {
    String type = messageType(text);
    if (!registered.future().isComplete()) {
      onRegistrationAnswer(new JsonObject(text), type, registration, registered);
      return;
    }
    if (MessageType.PING.name().equals(type) && role == ClientRole.AGENT) {
      send(new JsonObject().put(Fields.MESSAGE_TYPE, MessageType.PONG.name())
          .put(Fields.AGENT_ID, id).put(Fields.AGENT_NAME, name));
    } else if (MessageType.SERVER_HEARTBEAT.name().equals(type)) {
      heartbeats++;
      if (role == ClientRole.BROKER) {
        send(new JsonObject().put(Fields.MESSAGE_TYPE, MessageType.PONG.name()));
      }
    }
    frames.accept(type, text);
  }

  private void onRegistrationAnswer(JsonObject answer, String type, JsonObject registration,
      Promise<String> registered) {
    long wait = RetryHints.ofRefusal(answer);
    if (role.responseType().name().equals(type) && "success".equals(answer.getString("status"))) {
      id = answer.getString(role.idField());
      registered.complete(id);
    } else if (wait > 0) {
      hintedRetries++;
      WebSocket refused = socket;
      Vertx.currentContext().owner().setTimer(RetryHints.withJitter(wait), t -> {
        if (!refused.isClosed()) {
          refused.writeTextMessage(registration.encode());
        }
      });
    } else {
      registered.fail("registration refused: " + answer.encode());
    }
  }

  /** The message_type of a hub frame without parsing it: the hub always writes message_type first. */
  static String messageType(String text) {
    int start = text.indexOf(TYPE_PREFIX);
    if (start < 0) {
      return "";
    }
    start += TYPE_PREFIX.length();
    int end = text.indexOf('"', start);
    return end < 0 ? "" : text.substring(start, end);
  }

  void send(JsonObject frame) {
    socket.writeTextMessage(frame.encode());
  }

  Future<Void> close() {
    WebSocket open = socket;
    id = null;
    return open == null ? Future.succeededFuture() : open.close();
  }

  String id() {
    return id;
  }

  boolean isOpen() {
    return socket != null && !socket.isClosed();
  }

  /** True if the hub (or the network) closed a registered socket that the generator did not close. */
  boolean closedByServer() {
    return closedByServer;
  }

  long heartbeats() {
    return heartbeats;
  }

  int hintedRetries() {
    return hintedRetries;
  }
}
