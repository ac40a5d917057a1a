package io.agenthub.gateway;

import io.agenthub.protocol.ClientRole;
import io.vertx.core.Future;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;

/** One WebSocket and what the gateway knows of it. Touched only on the gateway's context. */
final class ClientSession {

  enum State { NEW, REGISTERING, REGISTERED, CLOSED }

  private final ServerWebSocket socket;
  private final String connectionId;
  private final TokenBucket floodLimit;
  private State state = State.NEW;
  private ClientRole role;
  private String clientId;
  private String name;
  private MessageConsumer<JsonObject> deliveries;

  ClientSession(ServerWebSocket socket, String connectionId, TokenBucket floodLimit) {
    this.socket = socket;
    this.connectionId = connectionId;
    this.floodLimit = floodLimit;
  }

  ServerWebSocket socket() {
    return socket;
  }

  TokenBucket floodLimit() {
    return floodLimit;
  }

  State state() {
    return state;
  }

  boolean isRegistered() {
    return state == State.REGISTERED;
  }

  void startRegistration(ClientRole role, String name) {
    this.state = State.REGISTERING;
    this.role = role;
    this.name = name;
  }

  void completeRegistration(String clientId, MessageConsumer<JsonObject> deliveries) {
    this.clientId = clientId;
    this.deliveries = deliveries;
    this.state = State.REGISTERED;
  }

  void abandonRegistration() {
    this.state = State.NEW;
    this.role = null;
    this.name = null;
  }

  /** Marks the session closed; true only the first time, so cleanup runs exactly once. */
  boolean markClosed() {
    if (state == State.CLOSED) {
      return false;
    }
    state = State.CLOSED;
    return true;
  }

  boolean isClosed() {
    return state == State.CLOSED;
  }

  ClientRole role() {
    return role;
  }

  String clientId() {
    return clientId;
  }

  String name() {
    return name;
  }

  MessageConsumer<JsonObject> deliveries() {
    return deliveries;
  }

  /** Identifies the socket in logs: the client id once registered, the connection id before. */
  String logId() {
    return clientId != null ? clientId + "/" + connectionId : connectionId;
  }

  Future<Void> send(JsonObject frame) {
    return sendEncoded(frame.encode());
  }

  Future<Void> sendEncoded(String text) {
    if (socket.isClosed()) {
      return Future.failedFuture("socket of " + logId() + " is closed");
    }
    return socket.writeTextMessage(text);
  }
}
