package io.agenthub.bridge;

import io.agenthub.protocol.Queues;
import io.agenthub.metrics.HubMetrics;
import io.agenthub.bus.Addresses;
import io.agenthub.bus.FanOut;
import io.agenthub.config.HubConfig;
import io.agenthub.protocol.ChatMessages;
import io.agenthub.protocol.ClientRole;
import io.agenthub.protocol.ErrorCode;
import io.agenthub.protocol.Fields;
import io.agenthub.protocol.Frames;
import io.agenthub.protocol.OnlineAgents;
import io.agenthub.protocol.StrictJson;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes each message consumed from {@code broker_output_queue}, in the contract's order: to an online agent's queue;
 * an ERROR to the sender when the agent is known but offline; a broker ERROR to the {@code _client_id} it carries;
 * otherwise to the WebSocket client named by {@code receiver_id} (or {@code _client_id}). The delivery is acknowledged
 * only once its outcome is settled: written to the socket, confirmed by RabbitMQ, or dead-lettered to
 * {@code hub_undeliverable}. Runs on the bridge's context.
 */
final class OutputRouter {
  private static final Logger LOG = LoggerFactory.getLogger(OutputRouter.class);
  /** Settled deliveries remembered for spotting redeliveries: 32 times the default prefetch. */
  private static final int RECENTLY_ROUTED_CAPACITY = 8_192;

  /** Why a message could not be delivered; the value is the {@code x-hub-reason} header of its dead letter. */
  static final class Undeliverable extends RuntimeException {
    /** The receiver is not connected (anymore): a frontend or broker may still resume and get it. */
    private final boolean receiverGone;

    Undeliverable(String reason) {
      this(reason, false);
    }

    Undeliverable(String reason, boolean receiverGone) {
      super(reason, null, false, false);
      this.receiverGone = receiverGone;
    }
  }

  /** Where a message went, for the monitoring copy: the frontend that got it directly is not sent a copy. */
  private record Routed(String route, String directRecipient) {
  }

  private final Vertx vertx;
  private final MeterRegistry metrics;
  private final Supplier<HubConfig> config;
  private final Supplier<AmqpLink> currentLink;
  private final Map<AmqpLink, Integer> inFlight = new HashMap<>();
  private final RecentlyRouted recentlyRouted = new RecentlyRouted(RECENTLY_ROUTED_CAPACITY);
  /**
   * Agents known to be online, from presence's announcements. Only a positive answer is trusted: an agent missing
   * here may have come online a moment ago, so it is looked up in presence, which also knows the name an offline
   * error needs.
   */
  private final OnlineAgents onlineAgents = new OnlineAgents();
  private final ResumeQueues resumeQueues;

  OutputRouter(Vertx vertx, MeterRegistry metrics, Supplier<HubConfig> config, Supplier<AmqpLink> currentLink,
      ResumeQueues resumeQueues) {
    this.vertx = vertx;
    this.metrics = metrics;
    this.config = config;
    this.currentLink = currentLink;
    this.resumeQueues = resumeQueues;
  }

  /** Presence announced these agents' new status ({@code agent_id}, {@code is_online}). */
  void onAgentsChanged(JsonArray agents) {
    onlineAgents.update(agents);
  }

  /** Deliveries of a link not yet acknowledged. */
  int inFlight(AmqpLink link) {
    return inFlight.getOrDefault(link, 0);
  }

  /**
   * Counts a delivery as in flight and decodes it. Returns null when it needs nothing more: a redelivery of one this
   * instance already settled (its ack was lost with the connection) is acknowledged without being routed again, and
   * one that is not a JSON object is dead-lettered.
   */
  private JsonObject accept(AmqpLink.Delivery delivery) {
    inFlight.merge(delivery.link(), 1, Integer::sum);
    if (delivery.redelivered() && recentlyRouted.contains(delivery.body())) {
      HubMetrics.redeliverySkipped(metrics);
      LOG.debug("Delivery {} is a redelivery of a message already settled; acknowledged without routing it again",
          delivery.tag());
      settle(delivery, true);
      return null;
    }
    try {
      return StrictJson.parseObject(delivery.body());
    } catch (StrictJson.Rejected rejected) {
      deadLetter(delivery, null,
          rejected.error().code() == ErrorCode.TOO_DEEP ? rejected.getMessage() : "not a JSON object");
      return null;
    }
  }

  void route(AmqpLink.Delivery delivery) {
    JsonObject message = accept(delivery);
    if (message == null) {
      return;
    }
    routeMessage(message)
        .onSuccess(routed -> {
          HubMetrics.routed(metrics, routed.route());
          copyToMonitors(message, routed.directRecipient());
          acknowledge(delivery);
        })
        .onFailure(e -> {
          if (e instanceof Undeliverable) {
            deadLetter(delivery, message, e.getMessage());
          } else {
            LOG.warn("Routing failed, returning the message to {}: {}", Queues.BROKER_OUTPUT, e.getMessage());
            settle(delivery, false);
          }
        });
  }

  /**
   * Protocol extension "WebSocket delivery": a message from the queue of an agent that asked for it is pushed over
   * the agent's socket and acknowledged after the write. If that fails it goes back to the agent's queue, to be
   * delivered when the agent is back, however it then takes its messages.
   */
  void deliverToAgentSocket(AmqpLink.Delivery delivery, String agentId) {
    JsonObject message = accept(delivery);
    if (message == null) {
      return;
    }
    deliverToSocket(agentId, ChatMessages.forClient(message))
        .onSuccess(written -> {
          HubMetrics.routed(metrics, "agent_websocket");
          acknowledge(delivery);
        })
        .onFailure(e -> {
          LOG.debug("Message {} returned to {}: {}", text(message, Fields.MESSAGE_ID), Queues.agentQueue(agentId),
              e.getMessage());
          settle(delivery, false);
        });
  }

  private Future<Routed> routeMessage(JsonObject message) {
    OutputRoute route = OutputRoute.of(message, onlineAgents::contains);
    return switch (route.kind()) {
      case AGENT_QUEUE -> publishToAgent(message, route.target());
      case ASK_PRESENCE -> vertx.eventBus()
          .<JsonObject>request(Addresses.PRESENCE_AGENT, new JsonObject().put(Fields.AGENT_ID, route.target()))
          .compose(reply -> routeToAgent(message, route.target(), reply.body()));
      case CLIENT, UNDELIVERABLE -> routeToClient(route, message);
    };
  }

  private Future<Routed> routeToAgent(JsonObject message, String agentId, JsonObject presence) {
    if (!presence.getBoolean("known")) {
      return routeToClient(OutputRoute.toClient(message), message);
    }
    JsonObject agent = presence.getJsonObject("agent");
    if (agent.getBoolean(Fields.IS_ONLINE)) {
      return publishToAgent(message, agentId);
    }
    String sender = senderOf(message);
    JsonObject error = Frames.agentOffline(agentId, agent.getString(Fields.AGENT_NAME), sender,
        text(message, Fields.MESSAGE_ID));
    return deliverOrPark(sender, error)
        .recover(e -> Future.failedFuture(e instanceof Undeliverable
            ? new Undeliverable("agent offline and sender unreachable: " + e.getMessage()) : e))
        .map(new Routed("agent_offline_error", null));
  }

  private Future<Routed> publishToAgent(JsonObject message, String agentId) {
    AmqpLink link = currentLink.get();
    if (link == null || !link.isOpen()) {
      return Future.failedFuture("RabbitMQ connection lost before publishing to the agent");
    }
    return link.publish(Queues.agentQueue(agentId), message.toBuffer().getBytes())
        .map(new Routed("agent_queue", null));
  }

  private Future<Routed> routeToClient(OutputRoute route, JsonObject message) {
    if (route.kind() == OutputRoute.Kind.UNDELIVERABLE) {
      return Future.failedFuture(new Undeliverable("no receiver_id or _client_id"));
    }
    String target = route.target();
    return deliverOrPark(target, ChatMessages.forClient(message))
        .map(taken -> new Routed(taken, target));
  }

  /**
   * To the client's socket; when it is not connected, a frontend or broker that may still resume its session gets
   * the frame parked in its resume queue instead. Completes with the route taken, "websocket" or "parked".
   */
  private Future<String> deliverOrPark(String clientId, JsonObject frame) {
    String encoded = frame.encode();
    return deliverToSocket(clientId, encoded).map("websocket").recover(e -> {
      if (e instanceof Undeliverable notConnected && notConnected.receiverGone
          && ClientRole.ofId(clientId).orElse(ClientRole.AGENT) != ClientRole.AGENT) {
        return resumeQueues.parkIfAway(clientId, encoded, notConnected).map("parked");
      }
      return Future.failedFuture(e);
    });
  }

  private Future<Void> deliverToSocket(String clientId, JsonObject frame) {
    return deliverToSocket(clientId, frame.encode());
  }

  /**
   * The frame is encoded on the bridge's worker, so the gateway's event loop only writes it; a String also crosses
   * the event bus without the deep copy a JsonObject gets.
   */
  private Future<Void> deliverToSocket(String clientId, String encodedFrame) {
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(config.get().deliveryTimeout().toMillis());
    return vertx.eventBus().request(Addresses.client(clientId), encodedFrame, options)
        .<Void>mapEmpty()
        .recover(e -> Future.failedFuture(new Undeliverable(deliveryFailure(clientId, e), receiverGone(e))));
  }

  /** No instance holds the client's address, or its socket closed while the frame was being written. */
  private static boolean receiverGone(Throwable e) {
    return e instanceof ReplyException reply && (reply.failureType() == ReplyFailure.NO_HANDLERS
        || reply.failureType() == ReplyFailure.RECIPIENT_FAILURE && reply.failureCode() == Addresses.FAILURE_SOCKET_GONE);
  }

  private static String deliveryFailure(String clientId, Throwable e) {
    if (e instanceof ReplyException reply) {
      if (reply.failureType() == ReplyFailure.NO_HANDLERS) {
        return "receiver " + clientId + " is not connected";
      }
      if (reply.failureType() == ReplyFailure.TIMEOUT) {
        return "delivery to " + clientId + " timed out";
      }
    }
    return "delivery to " + clientId + " failed: " + e.getMessage();
  }

  private void copyToMonitors(JsonObject message, String directRecipient) {
    if (config.get().monitorAllTraffic()) {
      fanOutToFrontends(ChatMessages.forClient(message).encode(), directRecipient);
    }
  }

  /** The copy of a message a client sent, as it was forwarded (its routing keys included, as before). */
  void copyForwardedToMonitors(String message) {
    if (config.get().monitorAllTraffic()) {
      fanOutToFrontends(message, null);
    }
  }

  private void fanOutToFrontends(String frame, String except) {
    vertx.eventBus().publish(Addresses.GATEWAY_FAN_OUT,
        new FanOut(new JsonArray().add(ClientRole.FRONTEND.connectionType()), frame, except).toJson());
  }

  /**
   * Parks a message the hub cannot deliver in {@code hub_undeliverable}, then acknowledges it. If even that publish
   * fails (RabbitMQ is going away) the delivery is returned to its queue instead.
   */
  private void deadLetter(AmqpLink.Delivery delivery, JsonObject message, String reason) {
    AmqpLink link = currentLink.get();
    Map<String, Object> headers = new HashMap<>();
    headers.put(Queues.REASON_HEADER, reason);
    String receiver = message == null ? null : text(message, Fields.RECEIVER_ID);
    if (receiver != null) {
      headers.put(Queues.RECEIVER_HEADER, receiver);
    }
    Future<Void> parked = link == null || !link.isOpen()
        ? Future.failedFuture("RabbitMQ is not connected")
        : link.publish(Queues.UNDELIVERABLE, delivery.body(), headers);
    parked.onSuccess(v -> {
      HubMetrics.deadLettered(metrics, reason.replaceAll("\\S+_[0-9a-f]{8}", "<id>"));
      LOG.warn("Message {} to {} dead-lettered to {}: {}", message == null ? "?" : text(message, Fields.MESSAGE_ID),
          receiver, Queues.UNDELIVERABLE, reason);
      acknowledge(delivery);
    }).onFailure(e -> {
      LOG.warn("Could not dead-letter a message ({}); returning it to {}: {}", reason, Queues.BROKER_OUTPUT, e.getMessage());
      settle(delivery, false);
    });
  }

  /** The outcome is settled: remembered first, so a redelivery after a lost ack is recognised. */
  private void acknowledge(AmqpLink.Delivery delivery) {
    recentlyRouted.remember(delivery.body());
    settle(delivery, true);
  }

  private void settle(AmqpLink.Delivery delivery, boolean ack) {
    inFlight.computeIfPresent(delivery.link(), (link, count) -> count > 1 ? count - 1 : null);
    try {
      if (ack) {
        delivery.link().ack(delivery.tag());
      } else {
        delivery.link().nack(delivery.tag());
      }
    } catch (IOException e) {
      LOG.warn("Settling delivery {} failed; RabbitMQ will redeliver it: {}", delivery.tag(), e.getMessage());
    }
  }

  /** The client an answer about this message goes to: the hub's stamp if the broker kept it, else its sender. */
  private static String senderOf(JsonObject message) {
    String clientId = text(message, Fields.CLIENT_ID);
    return clientId != null ? clientId : text(message, Fields.SENDER_ID);
  }

  private static String text(JsonObject json, String key) {
    return json.getValue(key) instanceof String s ? s : null;
  }
}
