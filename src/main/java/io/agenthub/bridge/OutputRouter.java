package io.agenthub.bridge;

import io.agenthub.bus.Addresses;
import io.agenthub.bus.AgentLookup;
import io.agenthub.bus.AgentQuery;
import io.agenthub.clock.HubClock;
import io.agenthub.metrics.HubMetrics;
import io.agenthub.protocol.ChatMessages;
import io.agenthub.protocol.ErrorCode;
import io.agenthub.protocol.Fields;
import io.agenthub.protocol.Frames;
import io.agenthub.protocol.OnlineAgents;
import io.agenthub.protocol.Queues;
import io.agenthub.protocol.StrictJson;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out {@link OutputRoute}'s decision for each message consumed from {@code broker_output_queue}, then its
 * monitoring copies, then settles the delivery: acknowledged only once delivered (written to the socket, parked for
 * a resuming client, confirmed by the agent's queue, or dead-lettered to {@code hub_undeliverable}) and copied to
 * every member's monitors; returned to the queue otherwise. Runs on the bridge's context.
 */
final class OutputRouter {
  private static final Logger LOG = LoggerFactory.getLogger(OutputRouter.class);
  /** Deliveries remembered for spotting redeliveries: 32 times the default prefetch. */
  private static final int RECENTLY_ROUTED_CAPACITY = 8_192;

  /** Where a message went: the route for the metrics, and the client that got it directly (no copy for it). */
  private record Routed(String route, String directRecipient) {
  }

  private final Vertx vertx;
  private final MeterRegistry metrics;
  private final Supplier<AmqpLink> currentLink;
  private final SocketDelivery sockets;
  private final DeadLetters deadLetters;
  private final MonitorCopies copies;
  private final HubClock clock;
  private final Settlement settlement = new Settlement();
  private final RecentlyRouted recentlyRouted = new RecentlyRouted(RECENTLY_ROUTED_CAPACITY);
  /** Agents known to be online, from presence's changes. */
  private final OnlineAgents onlineAgents = new OnlineAgents();
  private final StreamAsks streamAsks;
  private final AgentWorkload workload;

  OutputRouter(Vertx vertx, MeterRegistry metrics, Supplier<AmqpLink> currentLink, SocketDelivery sockets,
      MonitorCopies copies, HubClock clock, AgentWorkload workload) {
    this.vertx = vertx;
    this.metrics = metrics;
    this.currentLink = currentLink;
    this.sockets = sockets;
    this.copies = copies;
    this.clock = clock;
    this.deadLetters = new DeadLetters(metrics, currentLink);
    this.streamAsks = new StreamAsks(vertx.eventBus());
    this.workload = workload;
  }

  /** These agents' status changed ({@code agent_id}, {@code is_online}). */
  void onAgentsChanged(JsonArray agents, JsonArray streaming) {
    onlineAgents.update(agents);
    streamAsks.onAgentsChanged(agents, streaming);
  }

  /** Deliveries of a link not yet settled. */
  int inFlight(AmqpLink link) {
    return settlement.inFlight(link);
  }

  void route(AmqpLink.Delivery delivery) {
    settlement.received(delivery);
    String key = DeliveryKey.of(delivery.body());
    RecentlyRouted.Progress earlier = recentlyRouted.earlier(delivery, key);
    if (skippedAsSettled(delivery, earlier)) {
      return;
    }
    JsonObject message = decode(delivery, key);
    if (message == null) {
      return;
    }
    workload.observe(message);
    if (earlier != null && earlier.delivered()) {
      HubMetrics.redeliverySkipped(metrics);
      LOG.debug("Delivery {} was delivered before its copies failed; only the missing copies are sent",
          delivery.tag());
      copyThenAcknowledge(delivery, key, message, earlier.except(), earlier.copiedTo());
      return;
    }
    carryOut(delivery.body(), message, OutputRoute.decide(message, onlineAgents::contains), key)
        .onSuccess(routed -> {
          HubMetrics.routed(metrics, routed.route());
          if (earlier != null) { // what is left: its earlier publish to an agent's queue went unconfirmed
            HubMetrics.republished(metrics);
          }
          recentlyRouted.delivered(key, routed.directRecipient(), Set.of());
          copyThenAcknowledge(delivery, key, message, routed.directRecipient(), Set.of());
        })
        .onFailure(e -> {
          if (e instanceof Undeliverable) {
            deadLetter(delivery, key, message, e.getMessage());
          } else {
            recentlyRouted.failed(key, e);
            LOG.warn("Routing failed, returning the message to {}: {}", Queues.BROKER_OUTPUT, e.getMessage());
            settlement.requeue(delivery);
          }
        });
  }

  /**
   * Protocol extension "WebSocket delivery": a message from the queue of an agent that asked for it is pushed over
   * the agent's socket and acknowledged after the write. If that fails it goes back to the agent's queue, to be
   * delivered when the agent is back, however it then takes its messages.
   */
  void deliverToAgentSocket(AmqpLink.Delivery delivery, String agentId) {
    settlement.received(delivery);
    String key = DeliveryKey.of(delivery.body());
    if (skippedAsSettled(delivery, recentlyRouted.earlier(delivery, key))) {
      return;
    }
    JsonObject message = decode(delivery, key);
    if (message == null) {
      return;
    }
    streamAsks.beforeHandingTo(agentId, message)
        .compose(v -> sockets.write(agentId, ChatMessages.forClient(message).encode(), key))
        .onSuccess(written -> {
          HubMetrics.routed(metrics, "agent_websocket");
          acknowledge(delivery, key);
        })
        .onFailure(e -> {
          LOG.debug("Message {} returned to {}: {}", text(message, Fields.MESSAGE_ID), Queues.agentQueue(agentId),
              e.getMessage());
          settlement.requeue(delivery);
        });
  }

  /** A redelivery of one this instance settled (its ack was lost with the connection) is only acknowledged. */
  private boolean skippedAsSettled(AmqpLink.Delivery delivery, RecentlyRouted.Progress earlier) {
    if (earlier == null || !earlier.settled()) {
      return false;
    }
    HubMetrics.redeliverySkipped(metrics);
    LOG.debug("Delivery {} is a redelivery of a message already settled; acknowledged without routing it again",
        delivery.tag());
    settlement.ack(delivery);
    return true;
  }

  /** The message, or null when it is not a JSON object (it is dead-lettered then). */
  private JsonObject decode(AmqpLink.Delivery delivery, String key) {
    try {
      return StrictJson.parseObject(delivery.body());
    } catch (StrictJson.Rejected rejected) {
      deadLetter(delivery, key, null,
          rejected.error().code() == ErrorCode.TOO_DEEP ? rejected.getMessage() : "not a JSON object");
      return null;
    }
  }

  /**
   * {@code body} is what was consumed, {@code message} its decoding; every frame written for the message carries
   * {@code key}, so no socket gets it twice if it is routed again.
   */
  private Future<Routed> carryOut(byte[] body, JsonObject message, OutputRoute route, String key) {
    return switch (route.kind()) {
      case AGENT_QUEUE -> streamAsks.beforeHandingTo(route.target(), message)
          .compose(v -> workload.handing(route.target(), message,
              () -> publishToAgent(body, route.target(), key)));
      case ASK_PRESENCE -> vertx.eventBus()
          .<JsonObject>request(Addresses.PRESENCE_AGENT, new AgentQuery(route.target()).toJson())
          .compose(reply -> carryOut(body, message,
              OutputRoute.afterLookup(message, AgentLookup.fromJson(reply.body())), key));
      case AGENT_OFFLINE -> tellSenderAgentOffline(message, route, DeliveryKey.ofAgentOffline(key));
      case CLIENT -> sockets.writeOrPark(route.target(), ChatMessages.forClient(message).encode(), key)
          .map(taken -> new Routed(taken, route.target()));
      case UNDELIVERABLE -> Future.failedFuture(new Undeliverable(OutputRoute.NO_TARGET));
    };
  }

  /**
   * The agent gets the bytes the broker published: the message goes to the agent unchanged, so decoding it to
   * route it and encoding it again would only cost CPU (≈ 3 % of the hub's in the legacy workload's profile). Its
   * key goes in a header, the same for every publish of these bytes by any instance, so the agent can drop a repeat.
   */
  private Future<Routed> publishToAgent(byte[] body, String agentId, String key) {
    AmqpLink link = currentLink.get();
    if (link == null || !link.isOpen()) {
      return Future.failedFuture("RabbitMQ connection lost before publishing to the agent");
    }
    return link.publish(Queues.agentQueue(agentId), body, Map.of(Queues.DELIVERY_KEY_HEADER, key))
        .map(new Routed("agent_queue", null));
  }

  private Future<Routed> tellSenderAgentOffline(JsonObject message, OutputRoute route, String key) {
    JsonObject error = Frames.agentOffline(text(message, Fields.RECEIVER_ID), route.agentName(), route.target(),
        text(message, Fields.MESSAGE_ID), clock.now());
    return sockets.writeOrPark(route.target(), error.encode(), key)
        .recover(e -> Future.failedFuture(e instanceof Undeliverable
            ? new Undeliverable("agent offline and sender unreachable: " + e.getMessage()) : e))
        .map(new Routed("agent_offline_error", null));
  }

  /**
   * Acknowledged only once every member's monitors have their copy, so a copy cannot be lost with this instance.
   * When one is missing the delivery goes back to the queue; this instance remembers it was delivered and which
   * members have their copy, so its redelivery here only sends the copies still missing.
   */
  private void copyThenAcknowledge(AmqpLink.Delivery delivery, String key, JsonObject message, String except,
      Set<String> alreadyCopied) {
    copies.ofConsumed(message, key, except, alreadyCopied).onSuccess(outcome -> {
      if (outcome.complete()) {
        acknowledge(delivery, key);
        return;
      }
      recentlyRouted.delivered(key, except, outcome.copiedTo());
      LOG.warn("Message {} delivered but not copied to every member's monitors; returned to {} to copy again",
          text(message, Fields.MESSAGE_ID), Queues.BROKER_OUTPUT);
      settlement.requeue(delivery);
    });
  }

  /** If even the dead letter cannot be published (RabbitMQ is going away), the delivery returns to its queue. */
  private void deadLetter(AmqpLink.Delivery delivery, String key, JsonObject message, String reason) {
    deadLetters.park(delivery.body(), message, reason).onComplete(parked -> acknowledge(delivery, key), e -> {
      LOG.warn("Could not dead-letter a message ({}); returning it to {}: {}", reason, Queues.BROKER_OUTPUT,
          e.getMessage());
      settlement.requeue(delivery);
    });
  }

  /** Remembered as settled first, so a redelivery after a lost ack is recognised. */
  private void acknowledge(AmqpLink.Delivery delivery, String key) {
    recentlyRouted.settled(key);
    settlement.ack(delivery);
  }

  private static String text(JsonObject json, String key) {
    return json.getValue(key) instanceof String s ? s : null;
  }
}
