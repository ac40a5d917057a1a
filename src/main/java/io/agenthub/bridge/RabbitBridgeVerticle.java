package io.agenthub.bridge;

import io.agenthub.protocol.Queues;
import io.agenthub.metrics.HubMetrics;
import io.agenthub.bus.Addresses;
import io.agenthub.bus.Failures;
import io.agenthub.bus.ForwardRequest;
import io.agenthub.bus.PresenceChanged;
import io.agenthub.config.HubConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the hub's one long-lived RabbitMQ connection. Publishes chat messages with publisher confirms, consumes
 * {@code broker_output_queue} with manual acknowledgement and hands each delivery to the {@link OutputRouter}.
 * When RabbitMQ goes away it reconnects with exponential backoff, redeclares the queues and resumes consuming.
 *
 * <p>Deployed as a worker verticle: the RabbitMQ Java client does blocking socket I/O, and a worker context runs
 * this verticle's handlers one at a time, so its state needs no locks.
 */
public final class RabbitBridgeVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(RabbitBridgeVerticle.class);

  private final String nodeId;
  private final boolean startsOnEmbeddedBroker;
  /** The embedded broker's {@code host:port} when the start-up target is served by one; null otherwise. */
  private String embeddedTarget;
  private HubConfig config;
  private MeterRegistry metrics;
  private OutputRouter router;
  private ResumeQueues resumeQueues;
  private AmqpLink link;
  private Duration nextReconnectDelay;
  private long reconnectTimer = -1;
  private boolean stopping;
  /** Agents on this instance that asked for WebSocket delivery: their queues are consumed by every link. */
  private final Set<String> websocketAgents = new LinkedHashSet<>();

  /** {@code startsOnEmbeddedBroker}: the hub serves the start-up RabbitMQ target with its embedded broker. */
  public RabbitBridgeVerticle(String nodeId, boolean startsOnEmbeddedBroker) {
    this.nodeId = nodeId;
    this.startsOnEmbeddedBroker = startsOnEmbeddedBroker;
  }

  @Override
  public Future<?> start() {
    config = HubConfig.fromJson(config());
    metrics = HubMetrics.registry();
    resumeQueues = new ResumeQueues(vertx, metrics, () -> config, () -> link);
    router = new OutputRouter(vertx, metrics, () -> config, () -> link, resumeQueues);
    nextReconnectDelay = config.rabbitReconnectMin();
    embeddedTarget = startsOnEmbeddedBroker ? hostAndPort(config) : null;
    HubMetrics.gaugeEmbeddedBroker(metrics, () -> onEmbeddedBroker() ? 1 : 0);
    vertx.eventBus().<JsonObject>localConsumer(Addresses.BRIDGE_FORWARD, this::onForwardRequest);
    vertx.eventBus().<JsonObject>localConsumer(Addresses.BRIDGE_STATUS, this::onStatusRequest);
    vertx.eventBus().<JsonObject>localConsumer(Addresses.BRIDGE_AGENT_DELIVERY, this::onAgentDeliveryChange);
    vertx.eventBus().<JsonObject>localConsumer(Addresses.BRIDGE_DRAIN, msg -> resumeQueues.drain(msg.body().getString("client_id"))
        .onComplete(written -> msg.reply(new JsonObject().put("delivered", written)), e -> msg.fail(500, e.getMessage())));
    vertx.eventBus().<JsonObject>localConsumer(Addresses.PRESENCE_CHANGED,
        msg -> router.onAgentsChanged(PresenceChanged.fromJson(msg.body()).changed()));
    vertx.eventBus().<JsonObject>localConsumer(Addresses.CONFIG_CHANGED, msg -> onConfigChanged(HubConfig.fromJson(msg.body())));
    vertx.setPeriodic(250, id -> expireConfirms());
    connect();
    return vertx.eventBus().<JsonObject>request(Addresses.PRESENCE_AGENTS, new JsonObject())
        .onSuccess(reply -> router.onAgentsChanged(reply.body().getJsonArray("agents")))
        .otherwiseEmpty();
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    vertx.cancelTimer(reconnectTimer);
    if (link != null) {
      link.close();
      LOG.info("RabbitMQ connection to {} closed", link.target());
    }
    return Future.succeededFuture();
  }

  private void connect() {
    reconnectTimer = -1;
    if (stopping) {
      return;
    }
    try {
      AmqpLink fresh = AmqpLink.open(context, config, "agent-hub " + nodeId, this::onConnectionLost);
      link = fresh;
      fresh.declare(Queues.BROKER_INPUT);
      fresh.declare(Queues.UNDELIVERABLE);
      fresh.consume(Queues.BROKER_OUTPUT, config.rabbitPrefetch(), delivery -> router.route(delivery));
      websocketAgents.forEach(agentId -> consumeAgentQueue(fresh, agentId));
      nextReconnectDelay = config.rabbitReconnectMin();
      LOG.info("Connected to RabbitMQ at {}; consuming {} (prefetch {})", fresh.target(), Queues.BROKER_OUTPUT,
          config.rabbitPrefetch());
    } catch (IOException | TimeoutException | RuntimeException e) {
      if (link != null) {
        link.close();
      }
      scheduleReconnect("cannot connect to " + config.rabbitTarget() + ": " + e.getMessage());
    }
  }

  private void onConnectionLost(AmqpLink lost, String reason) {
    lost.close();
    if (lost == link) {
      scheduleReconnect("connection to " + lost.target() + " lost: " + reason);
    }
  }

  /** Exponential backoff with jitter, from RABBITMQ_RECONNECT_MIN_MS up to RABBITMQ_RECONNECT_MAX_MS. */
  private void scheduleReconnect(String why) {
    if (stopping || reconnectTimer != -1) {
      return;
    }
    long delay = Math.max(1, (long) (nextReconnectDelay.toMillis() * (0.8 + 0.4 * ThreadLocalRandom.current().nextDouble())));
    LOG.warn("RabbitMQ unavailable ({}); retrying in {} ms", why, delay);
    nextReconnectDelay = nextReconnectDelay.multipliedBy(2).compareTo(config.rabbitReconnectMax()) > 0
        ? config.rabbitReconnectMax() : nextReconnectDelay.multipliedBy(2);
    reconnectTimer = vertx.setTimer(delay, id -> connect());
  }

  /** Publishes to broker_input_queue; once RabbitMQ confirmed it, the monitoring copy goes to the frontends. */
  private void onForwardRequest(Message<JsonObject> msg) {
    String message = ForwardRequest.fromJson(msg.body()).message();
    if (link == null || !link.isOpen()) {
      msg.fail(Failures.NOT_PUBLISHED, "RabbitMQ is not connected");
      return;
    }
    link.publish(Queues.BROKER_INPUT, message.getBytes(StandardCharsets.UTF_8)).onComplete(ok -> {
      msg.reply(null);
      router.copyForwardedToMonitors(message);
    }, e -> msg.fail(
        e instanceof AmqpLink.PublishFailure failure && !failure.certainlyNotPublished()
            ? Failures.OUTCOME_UNKNOWN
            : Failures.NOT_PUBLISHED,
        e.getMessage()));
  }

  private void onAgentDeliveryChange(Message<JsonObject> msg) {
    String agentId = msg.body().getString("agent_id");
    boolean websocket = msg.body().getBoolean("websocket");
    if (websocket ? !websocketAgents.add(agentId) : !websocketAgents.remove(agentId)) {
      return;
    }
    if (link == null || !link.isOpen()) {
      return;
    }
    if (websocket) {
      consumeAgentQueue(link, agentId);
    } else {
      try {
        link.stopConsuming(Queues.agentQueue(agentId));
      } catch (IOException e) {
        LOG.debug("Stopping the consumer of {} failed: {}", Queues.agentQueue(agentId), e.getMessage());
      }
    }
  }

  /** A failure here means the link is breaking; the next link consumes the queue again. */
  private void consumeAgentQueue(AmqpLink target, String agentId) {
    try {
      target.consume(Queues.agentQueue(agentId), config.rabbitPrefetch(),
          delivery -> router.deliverToAgentSocket(delivery, agentId));
      LOG.debug("Consuming {} for WebSocket delivery", Queues.agentQueue(agentId));
    } catch (IOException e) {
      LOG.warn("Could not consume {} for WebSocket delivery: {}", Queues.agentQueue(agentId), e.getMessage());
    }
  }

  private void onStatusRequest(Message<JsonObject> msg) {
    boolean connected = link != null && link.isOpen();
    msg.reply(new JsonObject()
        .put("connected", connected)
        .put("target", config.rabbitTarget())
        .put("broker", onEmbeddedBroker() ? "embedded" : "external")
        .put("unconfirmed_publishes", connected ? link.unconfirmedCount() : 0));
  }

  /** Whether the current target is the hub's embedded broker (a live change of target moves the bridge away). */
  private boolean onEmbeddedBroker() {
    return hostAndPort(config).equals(embeddedTarget);
  }

  private static String hostAndPort(HubConfig config) {
    return config.rabbitHost() + ":" + config.rabbitPort();
  }

  private void expireConfirms() {
    if (link != null) {
      link.expireConfirms(config.publishConfirmTimeout().toNanos());
    }
  }

  /**
   * A new RabbitMQ target moves the bridge: the old link stops consuming, a new one is opened and takes all new
   * traffic, and the old one closes once its confirms and acknowledgements are settled (what it still holds unacked
   * goes back to its queue). A new prefetch applies at once.
   */
  private void onConfigChanged(HubConfig newConfig) {
    HubConfig old = config;
    config = newConfig;
    boolean newTarget = !old.rabbitTarget().equals(newConfig.rabbitTarget())
        || !old.rabbitUser().equals(newConfig.rabbitUser())
        || !old.rabbitPassword().equals(newConfig.rabbitPassword());
    if (newTarget) {
      LOG.info("RabbitMQ target changed from {} to {}; moving the bridge", old.rabbitTarget(), newConfig.rabbitTarget());
      AmqpLink previous = link;
      link = null;
      if (previous != null) {
        retire(previous);
      }
      vertx.cancelTimer(reconnectTimer);
      reconnectTimer = -1;
      nextReconnectDelay = newConfig.rabbitReconnectMin();
      connect();
    } else if (old.rabbitPrefetch() != newConfig.rabbitPrefetch() && link != null) {
      try {
        link.setPrefetch(newConfig.rabbitPrefetch());
      } catch (IOException e) {
        LOG.warn("Could not apply RABBITMQ_PREFETCH={}: {}", newConfig.rabbitPrefetch(), e.getMessage());
      }
    }
  }

  private void retire(AmqpLink previous) {
    try {
      previous.stopConsuming();
    } catch (IOException e) {
      LOG.debug("Stopping the consumer on {} failed: {}", previous.target(), e.getMessage());
    }
    long deadline = System.nanoTime() + config.deliveryTimeout().toNanos();
    vertx.setPeriodic(100, timer -> {
      boolean settled = previous.unconfirmedCount() == 0 && router.inFlight(previous) == 0;
      if (settled || System.nanoTime() > deadline) {
        vertx.cancelTimer(timer);
        previous.close();
        LOG.info("Previous RabbitMQ connection to {} closed ({})", previous.target(),
            settled ? "drained" : "drain timed out; unacknowledged deliveries return to their queue");
      }
    });
  }
}
