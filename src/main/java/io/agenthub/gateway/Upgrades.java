package io.agenthub.gateway;

import io.agenthub.metrics.HubMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WebSocket upgrades are decided here, before the socket exists, so that a refusal is an HTTP status a client can
 * act on: 404 off {@code /ws}, 403 for an origin not allowed, 503 with Retry-After while registrations wait longer
 * than REGISTRATION_MAX_WAIT for their turn (the instance is saturated) or when it holds MAX_CONNECTIONS sockets,
 * 429 with Retry-After when the client's address holds MAX_CONNECTIONS_PER_ADDRESS. The client's address is the one
 * {@link TrustedProxies} finds. Everything else goes to the HTTP endpoints.
 */
final class Upgrades implements Handler<HttpServerRequest> {
  private static final Logger LOG = LoggerFactory.getLogger(Upgrades.class);
  /** Seconds a client refused at a connection limit is told to wait: no place is known to free up sooner. */
  private static final int LIMIT_RETRY_AFTER_SECONDS = 5;
  private static final String SATURATED = "registrations_waiting";

  private final Supplier<GatewaySettings> settings;
  private final Supplier<OriginPolicy> origins;
  private final MeterRegistry metrics;
  private final ConnectionLimits limits;
  private final Admission admission;
  private final Router http;
  private final Sockets sockets;
  /** True from the first upgrade refused at MAX_CONNECTIONS until one is accepted again: logged once per episode. */
  private boolean refusingAtInstanceLimit;
  /** Likewise for refusals while registrations wait too long. */
  private boolean refusingAsSaturated;

  Upgrades(Supplier<GatewaySettings> settings, Supplier<OriginPolicy> origins, MeterRegistry metrics,
      ConnectionLimits limits, Admission admission, Router http, Sockets sockets) {
    this.settings = settings;
    this.origins = origins;
    this.metrics = metrics;
    this.limits = limits;
    this.admission = admission;
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
      upgradeWithinLimits(request, clientAddress(request));
    }
  }

  private static boolean isWebSocketUpgrade(HttpServerRequest request) {
    return request.method() == HttpMethod.GET
        && request.headers().contains(HttpHeaders.UPGRADE, HttpHeaders.WEBSOCKET, true);
  }

  private String clientAddress(HttpServerRequest request) {
    return settings.get().trustedProxies().clientAddress(request.remoteAddress().hostAddress(),
        request.headers().getAll("Forwarded"), request.headers().getAll("X-Forwarded-For"));
  }

  private void refuseOrigin(HttpServerRequest request) {
    LOG.warn("WebSocket upgrade from {} refused: origin {} is not allowed", clientAddress(request),
        request.headers().get(HttpHeaders.ORIGIN));
    HubMetrics.connectionRefused(metrics, "origin_not_allowed");
    request.response().setStatusCode(403).end();
  }

  private void upgradeWithinLimits(HttpServerRequest request, String address) {
    GatewaySettings current = settings.get();
    Duration waited = admission.oldestWait();
    if (waited.compareTo(current.registrationMaxWait()) >= 0) {
      refuseAsSaturated(request, waited);
      return;
    }
    refusingAsSaturated = false;
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

  /**
   * The registrations ahead have waited {@code waited}; one that came now would wait about as long, so the client
   * is told to come back after that (whole seconds, at least 1) rather than add to the queue.
   */
  private void refuseAsSaturated(HttpServerRequest request, Duration waited) {
    HubMetrics.connectionRefused(metrics, SATURATED);
    long retryAfterSeconds = Math.max(1, (waited.toMillis() + 999) / 1000);
    if (!refusingAsSaturated) {
      refusingAsSaturated = true;
      LOG.warn("Refusing WebSocket upgrades with 503: registrations wait {} ms for their turn "
          + "(REGISTRATION_MAX_WAIT {} ms)", waited.toMillis(), settings.get().registrationMaxWait().toMillis());
    }
    request.response().setStatusCode(503)
        .putHeader(HttpHeaders.RETRY_AFTER, String.valueOf(retryAfterSeconds))
        .end("This hub instance is saturated with registrations; retry after " + retryAfterSeconds + " s");
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
        .putHeader(HttpHeaders.RETRY_AFTER, String.valueOf(LIMIT_RETRY_AFTER_SECONDS))
        .end(refusal == ConnectionLimits.Refusal.INSTANCE_FULL
            ? "This hub instance holds its maximum of WebSocket connections; retry later"
            : "Too many WebSocket connections from this address; retry later");
  }
}
