package io.agenthub.gateway;

import io.agenthub.config.Setting;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;

/**
 * The server's transport: frame limits, the write-stall timeout, WebSocket compression and TLS, from the
 * restart-only settings.
 *
 * <p>Compression off (the default) also makes Netty's frame decoder refuse any frame with a reserved bit set (close
 * 1002), since no extension can have been negotiated. On, only permessage-deflate is offered (the per-frame draft is
 * obsolete); {@link BoundedCompression} then makes every socket's negotiation and inflation bounded. HTTP/2 over
 * clear text is off: the hub speaks HTTP/1.1 and WebSocket, and Vert.x then sets up each connection's pipeline
 * before its first read, which {@link GuardedTransport} relies on.
 */
final class TransportOptions {
  private TransportOptions() {
  }

  static Future<HttpServerOptions> of(Vertx vertx, GatewaySettings config, int transportFrameLimit) {
    HttpServerOptions options = Keepalive.applyTo(new HttpServerOptions(), config.webSocketStallTimeout())
        .setMaxWebSocketFrameSize(transportFrameLimit)
        .setMaxWebSocketMessageSize(transportFrameLimit)
        .setHttp2ClearTextEnabled(false)
        .setPerFrameWebSocketCompressionSupported(false)
        .setPerMessageWebSocketCompressionSupported(config.webSocketCompression())
        .setWebSocketAllowServerNoContext(true)
        .setWebSocketPreferredClientNoContext(true);
    if (!config.tlsEnabled()) {
      return Future.succeededFuture(options);
    }
    Future<Buffer> cert = readPem(vertx, Setting.TLS_CERT_FILE, config.tlsCertFile(), "CERTIFICATE");
    Future<Buffer> key = readPem(vertx, Setting.TLS_KEY_FILE, config.tlsKeyFile(), "PRIVATE KEY");
    return Future.all(cert, key).map(both -> options.setSsl(true)
        .setKeyCertOptions(new PemKeyCertOptions().setCertValue(cert.result()).setKeyValue(key.result())));
  }

  /** Read without blocking; a missing, unreadable or non-PEM file fails naming its setting. */
  private static Future<Buffer> readPem(Vertx vertx, Setting setting, String path, String pemLabel) {
    return vertx.fileSystem().readFile(path)
        .recover(e -> Future.failedFuture(new IllegalArgumentException(
            setting.name() + "=" + path + " cannot be read: " + e.getMessage(), e)))
        .compose(content -> content.toString().contains(pemLabel + "-----")
            ? Future.succeededFuture(content)
            : Future.failedFuture(new IllegalArgumentException(
                setting.name() + "=" + path + " is not a PEM file with a " + pemLabel)));
  }
}
