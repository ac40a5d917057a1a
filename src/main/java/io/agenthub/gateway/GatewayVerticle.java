package io.agenthub.gateway;

import io.agenthub.bus.Addresses;
import io.agenthub.bus.AgentDetailsChanged;
import io.agenthub.bus.DetailedAgents;
import io.agenthub.bus.LoadAddresses;
import io.agenthub.bus.StreamAddresses;
import io.agenthub.bus.FanOut;
import io.agenthub.bus.HeartbeatTick;
import io.agenthub.bus.MonitorCopy;
import io.agenthub.bus.PresenceChanged;
import io.agenthub.bus.StreamCancelNotice;
import io.agenthub.bus.StreamOpened;
import io.agenthub.clock.HubClock;
import io.agenthub.cluster.Membership;
import io.agenthub.config.HubConfig;
import io.agenthub.metrics.HubMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns every client socket of this instance: accepts WebSockets on {@code /ws} ({@link Upgrades}, {@link Sockets}),
 * handles what clients send ({@link InboundDispatch}, {@link Registrations}) and writes what other verticles address
 * to its clients ({@link Broadcaster}, and {@code Addresses.client} in {@link Deliveries}). It is the only
 * verticle that renders client frames. Nothing else touches a socket.
 */
public final class GatewayVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayVerticle.class);
  /**
   * Frames above MAX_FRAME_BYTES up to this size get an ERROR; larger ones are cut off by the transport (close 1009).
   */
  static final int TRANSPORT_FRAME_LIMIT = 2 * 1_048_576;

  private final Membership membership;
  private final String nodeId;
  private final HubClock clock;
  /** The whole configuration, for the HTTP endpoints; the gateway itself reads only {@link #settings}. */
  private HubConfig config;
  private GatewaySettings settings;
  private OriginPolicy origins;
  private HttpServer server;
  private Sockets sockets;

  /** {@code clock} decides the rate limits; timers (registration timeout, keepalive) run on Vert.x. */
  public GatewayVerticle(Membership membership, HubClock clock) {
    this.membership = membership;
    this.nodeId = membership.localNodeId();
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    config = HubConfig.fromJson(config());
    settings = GatewaySettings.of(config);
    origins = new OriginPolicy(settings.corsAllowedOrigins());
    MeterRegistry metrics = HubMetrics.registry();
    ClientRegistry clients = new ClientRegistry();
    HubMetrics.gaugeConnections(metrics, clients::socketCount);
    Refusals refusals = new Refusals(metrics);
    Deliveries deliveries = new Deliveries(vertx, () -> settings, metrics);
    AgentDetailsView details = new AgentDetailsView();
    Admission admission = new Admission(vertx, () -> settings, clock, refusals);
    Registrations registrations = new Registrations(vertx, nodeId, () -> settings, clock, clients, refusals, deliveries,
        admission, details);
    StreamViewers viewers = new StreamViewers(vertx.eventBus(), refusals);
    StreamRequests streams = new StreamRequests(vertx.eventBus(), () -> settings, refusals, viewers);
    registrations.onClose(viewers::leaveAll);
    InboundDispatch inbound = new InboundDispatch(vertx.eventBus(), () -> settings, clock, metrics, refusals,
        registrations, deliveries, streams, new AgentReports(vertx.eventBus(), () -> settings, refusals));
    ConnectionLimits limits = new ConnectionLimits();
    sockets = new Sockets(vertx, () -> settings, clock, metrics, clients, inbound, registrations, limits);
    Keepalive.start(vertx, clients, settings.webSocketStallTimeout());
    HubStatus status = new HubStatus(vertx, membership, clients::connectionCounts, clients::registeredClients, metrics);
    Upgrades upgrades = new Upgrades(() -> settings, () -> origins, metrics, limits, admission,
        new HttpEndpoints(vertx, () -> config, () -> origins, clients::connectionCounts, status).router(), sockets);
    return Future.all(consume(new Broadcaster(context, clients, metrics, clock, details), details),
            consume(new StreamNotices(clients, viewers, () -> settings)), status.serve())
        .compose(v -> TransportOptions.of(vertx, settings, TRANSPORT_FRAME_LIMIT))
        .compose(options -> listen(options, upgrades));
  }

  private Future<?> consume(Broadcaster broadcaster, AgentDetailsView details) {
    EventBus bus = vertx.eventBus();
    bus.<JsonObject>localConsumer(Addresses.CONFIG_CHANGED, msg -> onConfigChanged(HubConfig.fromJson(msg.body())));
    bus.<JsonObject>localConsumer(LoadAddresses.PRESENCE_DETAILS_CHANGED,
        msg -> broadcaster.onDetailsChanged(AgentDetailsChanged.fromJson(msg.body())));
    bus.<JsonObject>request(LoadAddresses.PRESENCE_DETAILS, new JsonObject())
        .onSuccess(reply -> details.update(DetailedAgents.fromJson(reply.body()).agents()));
    return Future.all(
        bus.<JsonObject>localConsumer(Addresses.PRESENCE_CHANGED,
            msg -> broadcaster.onPresenceChanged(PresenceChanged.fromJson(msg.body()))).completion(),
        bus.<JsonObject>localConsumer(Addresses.HEARTBEAT_TICK,
            msg -> broadcaster.onHeartbeat(HeartbeatTick.fromJson(msg.body()))).completion(),
        bus.<JsonObject>consumer(Addresses.GATEWAY_FAN_OUT,
            msg -> broadcaster.onFanOut(FanOut.fromJson(msg.body()))).completion(),
        bus.<JsonObject>consumer(Addresses.gatewayMonitors(nodeId), msg -> onMonitorCopy(broadcaster, msg))
            .completion());
  }

  /** Protocol extension "streamed replies": streams that open anywhere, and cancels for this instance's agents. */
  private Future<?> consume(StreamNotices notices) {
    EventBus bus = vertx.eventBus();
    bus.<JsonObject>localConsumer(StreamAddresses.GATEWAY_STREAM_CANCEL,
        msg -> notices.onCancel(StreamCancelNotice.fromJson(msg.body())));
    return bus.<JsonObject>consumer(StreamAddresses.STREAMS_OPENED,
        msg -> notices.onOpened(StreamOpened.fromJson(msg.body()))).completion();
  }

  private static void onMonitorCopy(Broadcaster broadcaster, Message<JsonObject> msg) {
    broadcaster.onMonitorCopy(MonitorCopy.fromJson(msg.body())).onComplete(written -> msg.reply(null));
  }

  private Future<HttpServer> listen(HttpServerOptions options, Upgrades upgrades) {
    if (settings.webSocketCompression() && !GuardedTransport.runsThisThread()) {
      return Future.failedFuture(new IllegalStateException("WEBSOCKET_COMPRESSION=true needs a Vert.x instance built "
          + "with GuardedTransport (Hub.vertxBuilder()), which bounds what compression costs and accepts"));
    }
    server = vertx.createHttpServer(options).requestHandler(upgrades);
    return server.listen(settings.port(), settings.host())
        .recover(this::explainListenFailure)
        .onSuccess(s -> LOG.info("Gateway listening on {}:{} (clients are told {}{})", settings.host(),
            s.actualPort(), settings.publicWebSocketUrl(),
            settings.webSocketCompression() ? ", permessage-deflate accepted" : ""));
  }

  private Future<HttpServer> explainListenFailure(Throwable failure) {
    return Future.failedFuture(!settings.tlsEnabled() ? failure : new IllegalArgumentException(
        "TLS_CERT_FILE=" + settings.tlsCertFile() + " and TLS_KEY_FILE=" + settings.tlsKeyFile()
            + " are not a usable certificate and private key: " + failure.getMessage(), failure));
  }

  /**
   * Listener, TLS, compression and the stall timeout stay as started (restart-only); everything else applies from
   * now on.
   */
  private void onConfigChanged(HubConfig next) {
    config = next;
    GatewaySettings nextSettings = GatewaySettings.of(next);
    if (!nextSettings.equals(settings)) {
      settings = nextSettings;
      origins = new OriginPolicy(nextSettings.corsAllowedOrigins());
    }
  }

  /** Graceful shutdown: presence records this instance's agents offline in one update, then every socket closes. */
  @Override
  public Future<?> stop() {
    return vertx.eventBus().request(Addresses.PRESENCE_LEAVING, new JsonObject())
        .onFailure(e -> LOG.warn("Presence did not record this instance's agents offline before shutdown: {}",
            e.getMessage()))
        .transform(ar -> sockets.closeAll())
        .eventually(() -> server.close());
  }

  /** The port actually bound, for tests that ask for port 0. */
  public int actualPort() {
    return server.actualPort();
  }
}
