package io.agenthub.gateway;

import io.vertx.core.Future;

/**
 * What the gateway needs of a client's WebSocket, and nothing more: the seam under {@link ClientSession}.
 * {@link VertxClientSocket} is the real one. A test's fake completes writes when the test says, so the session's
 * back-pressure, duplicate guard and held deliveries are tested without a network. Incoming frames do not pass here:
 * {@link Sockets} wires them to {@link InboundDispatch}.
 */
interface ClientSocket {

  /** Completes once the connection took the text; stays pending while the client reads nothing. */
  Future<Void> writeText(String text);

  /** A WebSocket ping, which every client library answers on its own. */
  void writePing();

  /** Sends a close frame with this status and reason; what the client had not yet taken goes first. */
  Future<Void> close(short status, String reason);

  /** Reads no more of the client's frames until {@link #resume()}. */
  void pause();

  void resume();

  boolean isClosed();

  /**
   * The client's IP address: the connection's peer, or, when that is one of TRUSTED_PROXIES, the client the proxy
   * names ({@link TrustedProxies}). The key of every per-address rule, and the address logs name.
   */
  String remoteHost();

  /** The {@code Authorization} header of the upgrade request, or null. */
  String authorization();
}
