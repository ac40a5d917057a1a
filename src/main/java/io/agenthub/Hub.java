package io.agenthub;

import io.agenthub.bridge.RabbitBridgeVerticle;
import io.agenthub.bus.Addresses;
import io.agenthub.bus.StreamAddresses;
import io.agenthub.bus.NodeLeft;
import io.agenthub.clock.HubClock;
import io.agenthub.cluster.Membership;
import io.agenthub.config.ConfigSources;
import io.agenthub.config.ConfigVerticle;
import io.agenthub.config.HubConfig;
import io.agenthub.embedded.BrokerSelection;
import io.agenthub.embedded.EmbeddedBroker;
import io.agenthub.gateway.GatewayVerticle;
import io.agenthub.gateway.GuardedTransport;
import io.agenthub.heartbeat.HeartbeatVerticle;
import io.agenthub.presence.PresenceVerticle;
import io.agenthub.streams.StreamsVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One hub instance on a Vert.x instance: starts the embedded AMQP broker if {@code RABBITMQ_MODE} calls for one,
 * deploys the verticles in dependency order (the gateway last, so no socket is accepted before the rest can serve it)
 * and undeploys them in reverse (the gateway first, so every socket is closed with 1001 and presence records it
 * before anything else stops), the embedded broker last.
 */
public final class Hub {
  private static final Logger LOG = LoggerFactory.getLogger(Hub.class);

  private final Vertx vertx;
  private final String nodeId;
  private final Deque<String> deployments = new ArrayDeque<>();
  private GatewayVerticle gateway;
  private EmbeddedBroker embeddedBroker;

  private Hub(Vertx vertx, String nodeId) {
    this.vertx = vertx;
    this.nodeId = nodeId;
  }

  /**
   * The Vert.x instance a hub runs on, clustered or not: on {@link GuardedTransport}, without which the gateway
   * refuses WEBSOCKET_COMPRESSION.
   */
  public static VertxBuilder vertxBuilder() {
    return Vertx.builder().withTransport(GuardedTransport.NIO);
  }

  /**
   * Verticles that need to know the members get {@code membership} at construction, and those whose behaviour
   * depends on time get {@code clock} ({@link HubClock#SYSTEM} in a running hub).
   */
  public static Future<Hub> deploy(Vertx vertx, Membership membership, HubConfig config, ConfigSources sources,
      HubClock clock) {
    String nodeId = membership.localNodeId();
    Hub hub = new Hub(vertx, nodeId);
    DeploymentOptions options = new DeploymentOptions().setConfig(config.toJson());
    hub.gateway = new GatewayVerticle(membership, clock);
    return BrokerSelection.select(vertx, config)
        .onSuccess(embedded -> hub.embeddedBroker = embedded.orElse(null))
        .compose(v -> hub.deploy(new ConfigVerticle(sources, clock), options))
        .compose(v -> hub.deploy(new PresenceVerticle(membership, clock), options))
        .compose(v -> hub.deploy(new StreamsVerticle(membership, clock), options))
        .onSuccess(v -> membership.onMemberLeft(departed -> {
          vertx.eventBus().send(Addresses.PRESENCE_NODE_LEFT, new NodeLeft(departed).toJson());
          vertx.eventBus().send(StreamAddresses.STREAMS_NODE_LEFT, new NodeLeft(departed).toJson());
        }))
        .compose(v -> hub.deploy(new RabbitBridgeVerticle(membership, hub.embeddedBroker != null, clock),
            new DeploymentOptions(options).setThreadingModel(ThreadingModel.WORKER)))
        .compose(v -> hub.deploy(new HeartbeatVerticle(), options))
        .compose(v -> hub.deploy(hub.gateway, options))
        .map(hub)
        .onFailure(e -> hub.undeploy());
  }

  private Future<Void> deploy(io.vertx.core.Deployable verticle, DeploymentOptions options) {
    return vertx.deployVerticle(verticle, options).onSuccess(deployments::push).mapEmpty();
  }

  public String nodeId() {
    return nodeId;
  }

  /** The port the gateway listens on (useful with PORT=0). */
  public int port() {
    return gateway.actualPort();
  }

  /** The broker this hub serves in its own process, if it embeds one. */
  public Optional<EmbeddedBroker> embeddedBroker() {
    return Optional.ofNullable(embeddedBroker);
  }

  /** Stops every verticle, newest first, then the embedded broker; always completes. */
  public Future<Void> undeploy() {
    if (deployments.isEmpty()) {
      return stopEmbeddedBroker();
    }
    String id = deployments.pop();
    return vertx.undeploy(id)
        .onFailure(e -> LOG.warn("Undeploying {} failed: {}", id, e.getMessage()))
        .transform(ar -> undeploy());
  }

  private Future<Void> stopEmbeddedBroker() {
    EmbeddedBroker broker = embeddedBroker;
    embeddedBroker = null;
    if (broker == null) {
      return Future.succeededFuture();
    }
    return broker.stop(vertx)
        .onFailure(e -> LOG.warn("Stopping the embedded broker failed: {}", e.getMessage()))
        .otherwiseEmpty();
  }
}
