package io.agenthub.gateway;

import io.agenthub.metrics.HubMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WebSocket upgrades are decided here, before the socket exists, so that a refusal is an HTTP status a client can
 * act on: 404 off {@code /ws}, 403 for an origin not allowed, 503 with Retry-After when this instance holds
 * MAX_CONNECTIONS sockets, 429 with Retry-After when the remote address holds MAX_CONNECTIONS_PER_ADDRESS.
 * Everything else goes to the HTTP endpoints.
 */
final class Upgrades implements Handler<HttpServerRequest> {
  private static final Logger LOG = LoggerFactory.getLogger(Upgrades.class);
  /** Seconds a refused upgrade is told to wait (503 at the instance limit, 429 at the per-address limit). */
  private static final int RETRY_AFTER_SECONDS = 5;

  private final Supplier<GatewaySettings> settings;
  private final Supplier<OriginPolicy> origins;
  private final MeterRegistry metrics;
  private final ConnectionLimits limits;
  private final Router http;
  private final Sockets sockets;
  /** True from the first upgrade refused at MAX_CONNECTIONS until one is accepted again: logged once per episode. */
  private boolean refusingAtInstanceLimit;

  Upgrades(Supplier<GatewaySettings> settings, Supplier<OriginPolicy> origins, MeterRegistry metrics,
      ConnectionLimits limits, Router http, Sockets sockets) {
    this.settings = settings;
    this.origins = origins;
    this.metrics = metrics;
    this.limits = limits;
    this.http = http;
    this.sockets = sockets;
  }

  @Override
  public void handle(HttpServerRequest request) {
    if (!isWebSocketUpgrade(request)) {
      http.handle(request);
    } else if (!"/ws".equals(request.path())) {
      request.response().setStatusCode(404).end();
    } else if (!origins.get().allows(request.headers().get(HttpHeaders.ORIGIN))) {
      refuseOrigin(request);
    } else {
      upgradeWithinLimits(request);
    }
  }

  private static boolean isWebSocketUpgrade(HttpServerRequest request) {
    return request.method() == HttpMethod.GET
        && request.headers().contains(HttpHeaders.UPGRADE, HttpHeaders.WEBSOCKET, true);
  }

  private void refuseOrigin(HttpServerRequest request) {
    LOG.warn("WebSocket upgrade from {} refused: origin {} is not allowed", request.remoteAddress(),
        request.headers().get(HttpHeaders.ORIGIN));
    HubMetrics.connectionRefused(metrics, "origin_not_allowed");
    request.response().setStatusCode(403).end();
  }

  private void upgradeWithinLimits(HttpServerRequest request) {
    String address = request.remoteAddress().hostAddress();
    GatewaySettings current = settings.get();
    Optional<ConnectionLimits.Refusal> refusal =
        limits.tryOpen(address, current.maxConnections(), current.maxConnectionsPerAddress());
    if (refusal.isPresent()) {
      refuseUpgrade(request, address, refusal.get());
      return;
    }
    refusingAtInstanceLimit = false;
    request.toWebSocket().onComplete(socket -> sockets.open(socket, address), e -> {
      limits.closed(address);
      LOG.debug("WebSocket upgrade from {} failed: {}", address, e.getMessage());
    });
  }

  private void refuseUpgrade(HttpServerRequest request, String address, ConnectionLimits.Refusal refusal) {
    HubMetrics.connectionRefused(metrics, refusal.reason);
    if (refusal == ConnectionLimits.Refusal.INSTANCE_FULL && !refusingAtInstanceLimit) {
      refusingAtInstanceLimit = true;
      LOG.warn("Refusing WebSocket upgrades with 503: this instance holds {} sockets (MAX_CONNECTIONS {})",
          limits.open(), settings.get().maxConnections());
    } else {
      LOG.debug("WebSocket upgrade from {} refused with {}: {}", address, refusal.httpStatus, refusal.reason);
    }
    request.response().setStatusCode(refusal.httpStatus)
        .putHeader(HttpHeaders.RETRY_AFTER, String.valueOf(RETRY_AFTER_SECONDS))
        .end(refusal == ConnectionLimits.Refusal.INSTANCE_FULL
            ? "This hub instance holds its maximum of WebSocket connections; retry later"
            : "Too many WebSocket connections from this address; retry later");
  }
}
