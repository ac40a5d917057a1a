package io.agenthub.gateway;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * WEBSOCKET_STALL_TIMEOUT: a connection whose writes have not completed for that long is closed, by Vert.x's
 * write-idle timeout. That is how the hub lets go of a client that stopped reading (its TCP window full, a frozen
 * tab, a peer gone without a FIN) even when the close frame it was sent waits behind text it will never read. So
 * that an idle but healthy socket is never taken for one, every socket that got no frame during a third of the
 * timeout gets a WebSocket ping; with the SERVER_HEARTBEATs a registered client gets, that is rarely needed.
 */
final class Keepalive {
  private Keepalive() {
  }

  /** The write-stall timeout itself, on the server's connections (HTTP ones too, until they upgrade). */
  static HttpServerOptions applyTo(HttpServerOptions options, Duration stallTimeout) {
    return options.setIdleTimeoutUnit(TimeUnit.MILLISECONDS).setWriteIdleTimeout(
        (int) Math.max(1, Math.min(Integer.MAX_VALUE, stallTimeout.toMillis())));
  }

  /** Sweeps the sockets every third of the timeout on the caller's context, which must be the gateway's. */
  static void start(Vertx vertx, ClientRegistry clients, Duration stallTimeout) {
    long period = Math.max(1, stallTimeout.toMillis() / 3);
    vertx.setPeriodic(period, tick -> clients.forEachSocket(ClientSession::keepAlive));
  }
}
