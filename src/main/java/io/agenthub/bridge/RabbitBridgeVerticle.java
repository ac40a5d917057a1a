package io.agenthub.bridge;

import io.agenthub.bus.Addresses;
import io.agenthub.bus.AgentDeliveryChange;
import io.agenthub.bus.AgentList;
import io.agenthub.bus.AgentsQuery;
import io.agenthub.bus.BridgeStatus;
import io.agenthub.bus.DrainReply;
import io.agenthub.bus.DrainRequest;
import io.agenthub.bus.Failures;
import io.agenthub.bus.LoadAddresses;
import io.agenthub.bus.PresenceChanged;
import io.agenthub.bus.StreamAddresses;
import io.agenthub.bus.StreamOpened;
import io.agenthub.clock.HubClock;
import io.agenthub.cluster.Membership;
import io.agenthub.metrics.HubMetrics;
import io.agenthub.protocol.Queues;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the hub's RabbitMQ connection and the queue layout: forwards clients' chat messages to
 * {@code broker_input_queue} with publisher confirms ({@link ChatForwarder}), consumes {@code broker_output_queue}
 * with manual acknowledgement and hands each delivery to the {@link OutputRouter}, and drains resume queues.
 * {@link RabbitConnection} reconnects when RabbitMQ goes away, and the queues are declared and consumed again.
 *
 * <p>Deployed as a worker verticle: the RabbitMQ Java client does blocking socket I/O, and a worker context runs
 * this verticle's handlers one at a time, so its state needs no locks.
 */
public final class RabbitBridgeVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(RabbitBridgeVerticle.class);

  private final Membership membership;
  private final boolean startsOnEmbeddedBroker;
  private final HubClock clock;
  /** The embedded broker's {@code host:port} when the start-up target is served by one; null otherwise. */
  private String embeddedTarget;
  private BridgeSettings settings;
  private OutputRouter router;
  private ResumeQueues resumeQueues;
  private AgentSocketQueues agentQueues;
  private RabbitConnection connection;

  /**
   * {@code startsOnEmbeddedBroker}: the hub serves the start-up RabbitMQ target with its embedded broker;
   * {@code clock} times confirms, deliveries and resume windows.
   */
  public RabbitBridgeVerticle(Membership membership, boolean startsOnEmbeddedBroker, HubClock clock) {
    this.membership = membership;
    this.startsOnEmbeddedBroker = startsOnEmbeddedBroker;
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    settings = BridgeSettings.fromJson(config());
    embeddedTarget = startsOnEmbeddedBroker ? settings.broker().hostAndPort() : null;
    MeterRegistry metrics = HubMetrics.registry();
    HubMetrics.gaugeEmbeddedBroker(metrics, () -> onEmbeddedBroker() ? 1 : 0);
    MonitorCopies copies = new MonitorCopies(vertx, membership, () -> settings, clock);
    resumeQueues = new ResumeQueues(vertx, metrics, () -> settings, () -> connection.current(), clock);
    AgentWorkload workload = new AgentWorkload(new QueueDepths(vertx, () -> connection.current(), clock), clock,
        () -> settings);
    router = new OutputRouter(vertx, metrics, () -> connection.current(),
        new SocketDelivery(vertx, () -> settings, resumeQueues, clock), copies, clock, workload);
    agentQueues = new AgentSocketQueues(() -> connection.current(), () -> settings.prefetch(), router);
    connection = new RabbitConnection(vertx, context, "agent-hub " + membership.localNodeId(), () -> settings,
        this::prepare, router::inFlight, clock);
    ChatForwarder forwarder = new ChatForwarder(() -> connection.current(), copies, workload);
    vertx.eventBus().<JsonObject>localConsumer(Addresses.BRIDGE_FORWARD, forwarder::forward);
    vertx.eventBus().<JsonObject>localConsumer(Addresses.BRIDGE_STATUS, this::onStatusRequest);
    vertx.eventBus().<JsonObject>localConsumer(Addresses.BRIDGE_AGENT_DELIVERY,
        msg -> agentQueues.onChange(AgentDeliveryChange.fromJson(msg.body())));
    vertx.eventBus().<JsonObject>localConsumer(Addresses.BRIDGE_DRAIN, this::onDrainRequest);
    vertx.eventBus().<JsonObject>localConsumer(Addresses.PRESENCE_CHANGED, this::onPresenceChanged);
    vertx.eventBus().<JsonObject>localConsumer(LoadAddresses.BRIDGE_LOAD, workload::onSample);
    vertx.eventBus().<JsonObject>consumer(StreamAddresses.STREAMS_OPENED,
        msg -> workload.streamOpened(StreamOpened.fromJson(msg.body())));
    vertx.eventBus().<JsonObject>localConsumer(Addresses.CONFIG_CHANGED,
        msg -> onConfigChanged(BridgeSettings.fromJson(msg.body())));
    vertx.setPeriodic(250, id -> connection.expireConfirms());
    connection.connect();
    return vertx.eventBus().<JsonObject>request(Addresses.PRESENCE_AGENTS, new AgentsQuery(false).toJson())
        .map(reply -> AgentList.fromJson(reply.body()))
        .onSuccess(list -> router.onAgentsChanged(list.agents(), list.streaming()))
        .otherwiseEmpty();
  }

  @Override
  public Future<?> stop() {
    connection.close();
    return Future.succeededFuture();
  }

  /** The queue layout on a fresh link: the contract's queues declared, the output and agents' queues consumed. */
  private void prepare(AmqpLink link) throws IOException {
    link.declare(Queues.BROKER_INPUT);
    link.declare(Queues.UNDELIVERABLE);
    link.consumer().consume(Queues.BROKER_OUTPUT, settings.prefetch(), delivery -> router.route(delivery));
    agentQueues.consumeAll(link);
  }

  private void onPresenceChanged(Message<JsonObject> msg) {
    PresenceChanged change = PresenceChanged.fromJson(msg.body());
    router.onAgentsChanged(change.changed() != null ? change.changed() : change.agents(), change.streaming());
  }

  private void onDrainRequest(Message<JsonObject> msg) {
    resumeQueues.drain(DrainRequest.fromJson(msg.body()).clientId()).onComplete(
        written -> msg.reply(new DrainReply(written).toJson()),
        e -> msg.fail(Failures.INTERNAL, e.getMessage()));
  }

  private void onStatusRequest(Message<JsonObject> msg) {
    boolean connected = connection.isOpen();
    msg.reply(new BridgeStatus(connected, settings.broker().target(), onEmbeddedBroker() ? "embedded" : "external",
        connected ? connection.current().unconfirmedCount() : 0).toJson());
  }

  /** Whether the current target is the hub's embedded broker (a live change of target moves the bridge away). */
  private boolean onEmbeddedBroker() {
    return settings.broker().hostAndPort().equals(embeddedTarget);
  }

  /** A new RabbitMQ target (or credentials) moves the bridge to a new connection; a new prefetch applies at once. */
  private void onConfigChanged(BridgeSettings next) {
    if (next.equals(settings)) {
      return;
    }
    BridgeSettings old = settings;
    settings = next;
    if (!old.broker().equals(next.broker())) {
      LOG.info("RabbitMQ target changed from {} to {}; moving the bridge", old.broker().target(),
          next.broker().target());
      connection.moveToNewTarget();
    } else if (old.prefetch() != next.prefetch()) {
      connection.setPrefetch(next.prefetch());
    }
  }
}
