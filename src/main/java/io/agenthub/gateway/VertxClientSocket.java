package io.agenthub.gateway;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.ServerWebSocket;

/** A WebSocket the gateway accepted, as a {@link ClientSocket}. */
final class VertxClientSocket implements ClientSocket {
  private final ServerWebSocket socket;
  private final String clientAddress;

  /** {@code clientAddress}: the client's, as the upgrade resolved it ({@link TrustedProxies}). */
  VertxClientSocket(ServerWebSocket socket, String clientAddress) {
    this.socket = socket;
    this.clientAddress = clientAddress;
  }

  @Override
  public Future<Void> writeText(String text) {
    return socket.writeTextMessage(text);
  }

  @Override
  public void writePing() {
    socket.writePing(Buffer.buffer());
  }

  @Override
  public Future<Void> close(short status, String reason) {
    return socket.close(status, reason);
  }

  @Override
  public void pause() {
    socket.pause();
  }

  @Override
  public void resume() {
    socket.resume();
  }

  @Override
  public boolean isClosed() {
    return socket.isClosed();
  }

  @Override
  public String remoteHost() {
    return clientAddress;
  }

  @Override
  public String authorization() {
    return socket.headers() == null ? null : socket.headers().get(HttpHeaders.AUTHORIZATION);
  }
}
