package io.agenthub.bridge;

import io.agenthub.bus.Addresses;
import io.agenthub.bus.AgentDeliveryChange;
import io.agenthub.bus.AgentList;
import io.agenthub.bus.AgentsQuery;
import io.agenthub.bus.BridgeStatus;
import io.agenthub.bus.DrainReply;
import io.agenthub.bus.DrainRequest;
import io.agenthub.bus.Failures;
import io.agenthub.bus.PresenceChanged;
import io.agenthub.cluster.Membership;
import io.agenthub.metrics.HubMetrics;
import io.agenthub.protocol.Queues;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the hub's one long-lived RabbitMQ connection and the queue layout: forwards clients' chat messages to
 * {@code broker_input_queue} with publisher confirms, consumes {@code broker_output_queue} with manual
 * acknowledgement and hands each delivery to the {@link OutputRouter}. When RabbitMQ goes away it reconnects with
 * exponential backoff, redeclares the queues and resumes consuming.
 *
 * <p>Deployed as a worker verticle: the RabbitMQ Java client does blocking socket I/O, and a worker context runs
 * this verticle's handlers one at a time, so its state needs no locks.
 */
public final class RabbitBridgeVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(RabbitBridgeVerticle.class);

  private final Membership membership;
  private final boolean startsOnEmbeddedBroker;
  /** The embedded broker's {@code host:port} when the start-up target is served by one; null otherwise. */
  private String embeddedTarget;
  private BridgeSettings settings;
  private OutputRouter router;
  private ResumeQueues resumeQueues;
  private AgentSocketQueues agentQueues;
  private AmqpLink link;
  private Duration nextReconnectDelay;
  private long reconnectTimer = -1;
  private boolean stopping;

  /** {@code startsOnEmbeddedBroker}: the hub serves the start-up RabbitMQ target with its embedded broker. */
  public RabbitBridgeVerticle(Membership membership, boolean startsOnEmbeddedBroker) {
    this.membership = membership;
    this.startsOnEmbeddedBroker = startsOnEmbeddedBroker;
  }

  @Override
  public Future<?> start() {
    settings = BridgeSettings.fromJson(config());
    MeterRegistry metrics = HubMetrics.registry();
    MonitorCopies copies = new MonitorCopies(vertx, membership, () -> settings);
    resumeQueues = new ResumeQueues(vertx, metrics, () -> settings, () -> link);
    router = new OutputRouter(vertx, metrics, () -> link, new SocketDelivery(vertx, () -> settings, resumeQueues),
        copies);
    agentQueues = new AgentSocketQueues(() -> link, () -> settings.prefetch(), router);
    ChatForwarder forwarder = new ChatForwarder(() -> link, copies);
    nextReconnectDelay = settings.reconnectMin();
    embeddedTarget = startsOnEmbeddedBroker ? settings.broker().hostAndPort() : null;
    HubMetrics.gaugeEmbeddedBroker(metrics, () -> onEmbeddedBroker() ? 1 : 0);
    vertx.eventBus().<JsonObject>localConsumer(Addresses.BRIDGE_FORWARD, forwarder::forward);
    vertx.eventBus().<JsonObject>localConsumer(Addresses.BRIDGE_STATUS, this::onStatusRequest);
    vertx.eventBus().<JsonObject>localConsumer(Addresses.BRIDGE_AGENT_DELIVERY,
        msg -> agentQueues.onChange(AgentDeliveryChange.fromJson(msg.body())));
    vertx.eventBus().<JsonObject>localConsumer(Addresses.BRIDGE_DRAIN, this::onDrainRequest);
    vertx.eventBus().<JsonObject>localConsumer(Addresses.PRESENCE_CHANGED, this::onPresenceChanged);
    vertx.eventBus().<JsonObject>localConsumer(Addresses.CONFIG_CHANGED,
        msg -> onConfigChanged(BridgeSettings.fromJson(msg.body())));
    vertx.setPeriodic(250, id -> expireConfirms());
    connect();
    return vertx.eventBus().<JsonObject>request(Addresses.PRESENCE_AGENTS, new AgentsQuery(false).toJson())
        .onSuccess(reply -> router.onAgentsChanged(AgentList.fromJson(reply.body()).agents()))
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
      AmqpLink fresh = AmqpLink.open(context, settings.broker(), "agent-hub " + membership.localNodeId(),
          this::onConnectionLost);
      link = fresh;
      fresh.declare(Queues.BROKER_INPUT);
      fresh.declare(Queues.UNDELIVERABLE);
      fresh.consume(Queues.BROKER_OUTPUT, settings.prefetch(), delivery -> router.route(delivery));
      agentQueues.consumeAll(fresh);
      nextReconnectDelay = settings.reconnectMin();
      LOG.info("Connected to RabbitMQ at {}; consuming {} (prefetch {})", fresh.target(), Queues.BROKER_OUTPUT,
          settings.prefetch());
    } catch (IOException | TimeoutException | RuntimeException e) {
      if (link != null) {
        link.close();
      }
      scheduleReconnect("cannot connect to " + settings.broker().target() + ": " + e.getMessage());
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
    double jitter = 0.8 + 0.4 * ThreadLocalRandom.current().nextDouble();
    long delay = Math.max(1, (long) (nextReconnectDelay.toMillis() * jitter));
    LOG.warn("RabbitMQ unavailable ({}); retrying in {} ms", why, delay);
    Duration doubled = nextReconnectDelay.multipliedBy(2);
    nextReconnectDelay = doubled.compareTo(settings.reconnectMax()) > 0 ? settings.reconnectMax() : doubled;
    reconnectTimer = vertx.setTimer(delay, id -> connect());
  }

  private void onPresenceChanged(Message<JsonObject> msg) {
    PresenceChanged change = PresenceChanged.fromJson(msg.body());
    router.onAgentsChanged(change.changed() != null ? change.changed() : change.agents());
  }

  private void onDrainRequest(Message<JsonObject> msg) {
    resumeQueues.drain(DrainRequest.fromJson(msg.body()).clientId()).onComplete(
        written -> msg.reply(new DrainReply(written).toJson()),
        e -> msg.fail(Failures.INTERNAL, e.getMessage()));
  }

  private void onStatusRequest(Message<JsonObject> msg) {
    boolean connected = link != null && link.isOpen();
    msg.reply(new BridgeStatus(connected, settings.broker().target(), onEmbeddedBroker() ? "embedded" : "external",
        connected ? link.unconfirmedCount() : 0).toJson());
  }

  /** Whether the current target is the hub's embedded broker (a live change of target moves the bridge away). */
  private boolean onEmbeddedBroker() {
    return settings.broker().hostAndPort().equals(embeddedTarget);
  }

  private void expireConfirms() {
    if (link != null) {
      link.expireConfirms(settings.publishConfirmTimeout().toNanos());
    }
  }

  /**
   * A new RabbitMQ target moves the bridge: the old link stops consuming, a new one is opened and takes all new
   * traffic, and the old one closes once its confirms and acknowledgements are settled (what it still holds unacked
   * goes back to its queue). A new prefetch applies at once.
   */
  private void onConfigChanged(BridgeSettings next) {
    if (next.equals(settings)) {
      return;
    }
    BridgeSettings old = settings;
    settings = next;
    if (!old.broker().equals(next.broker())) {
      LOG.info("RabbitMQ target changed from {} to {}; moving the bridge", old.broker().target(),
          next.broker().target());
      AmqpLink previous = link;
      link = null;
      if (previous != null) {
        retire(previous);
      }
      vertx.cancelTimer(reconnectTimer);
      reconnectTimer = -1;
      nextReconnectDelay = next.reconnectMin();
      connect();
    } else if (old.prefetch() != next.prefetch() && link != null) {
      try {
        link.setPrefetch(next.prefetch());
      } catch (IOException e) {
        LOG.warn("Could not apply RABBITMQ_PREFETCH={}: {}", next.prefetch(), e.getMessage());
      }
    }
  }

  private void retire(AmqpLink previous) {
    try {
      previous.stopConsuming();
    } catch (IOException e) {
      LOG.debug("Stopping the consumer on {} failed: {}", previous.target(), e.getMessage());
    }
    long deadline = System.nanoTime() + settings.deliveryTimeout().toNanos();
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
