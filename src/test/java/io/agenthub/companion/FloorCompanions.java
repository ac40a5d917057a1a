package io.agenthub.companion;

import io.agenthub.protocol.Queues;
import io.agenthub.protocol.Fields;
import io.agenthub.protocol.Frames;
import io.agenthub.protocol.MessageType;
import io.agenthub.protocol.Timestamps;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.rabbitmq.RabbitMQMessage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * The reference broker and echo agents for the benchmark's amqp-floor, without a hub: the same routing
 * ({@link BrokerRouting}) and the same AMQP client and settings ({@link CompanionAmqp}) as the companions, but the
 * online agents are given instead of learnt from the hub, so every queue hop of a round trip is the same and only
 * the hub is missing.
 */
public final class FloorCompanions {
  private static final String BROKER_ID = "broker_f1004000";

  private final BrokerRouting routing = new BrokerRouting(new Random(), BrokerRouting.Mode.RANDOM, System::nanoTime);
  private final List<CompanionAmqp> connections = new ArrayList<>();

  private FloorCompanions() {
  }

  public static Future<FloorCompanions> start(Vertx vertx, CompanionSettings settings, List<String> agentIds) {
    FloorCompanions floor = new FloorCompanions();
    JsonArray agents = new JsonArray();
    agentIds.forEach(id -> agents.add(new JsonObject().put(Fields.AGENT_ID, id).put(Fields.IS_ONLINE, true)));
    floor.routing.onStatusUpdate(Frames.agentStatusUpdate(agents), BROKER_ID);
    Future<Void> started = floor.startBroker(vertx, settings);
    for (String agentId : agentIds) {
      started = started.compose(v -> floor.startEcho(vertx, settings, agentId));
    }
    return started.map(floor);
  }

  /** Only the echo agents, for a floor whose broker routes another way (the benchmark's legacy workload). */
  public static Future<FloorCompanions> startAgents(Vertx vertx, CompanionSettings settings, List<String> agentIds) {
    FloorCompanions floor = new FloorCompanions();
    Future<Void> started = Future.succeededFuture();
    for (String agentId : agentIds) {
      started = started.compose(v -> floor.startEcho(vertx, settings, agentId));
    }
    return started.map(floor);
  }

  private Future<Void> startBroker(Vertx vertx, CompanionSettings settings) {
    return CompanionAmqp.connect(vertx, settings, "agent-hub floor broker").compose(amqp -> {
      connections.add(amqp);
      return amqp.declare(Queues.BROKER_OUTPUT)
          .compose(declared -> amqp.consume(Queues.BROKER_INPUT))
          .onSuccess(consumer -> consumer.handler(delivery -> {
            JsonObject routed = routing.route(delivery.body().toJsonObject(), BROKER_ID);
            forwardThenAck(amqp, delivery, Queues.BROKER_OUTPUT, routed);
          }))
          .mapEmpty();
    });
  }

  private Future<Void> startEcho(Vertx vertx, CompanionSettings settings, String agentId) {
    return CompanionAmqp.connect(vertx, settings, "agent-hub floor echo " + agentId).compose(amqp -> {
      connections.add(amqp);
      return amqp.consume(Queues.agentQueue(agentId))
          .onSuccess(consumer -> consumer.handler(delivery -> {
            JsonObject message = delivery.body().toJsonObject();
            if (MessageType.TEXT.name().equals(message.getString(Fields.MESSAGE_TYPE))) {
              forwardThenAck(amqp, delivery, Queues.BROKER_INPUT, echo(agentId, message));
            } else {
              amqp.ack(delivery.envelope().getDeliveryTag());
            }
          }))
          .mapEmpty();
    });
  }

  /** As {@link EchoAgentCompanion} answers a TEXT (and only a TEXT: a legacy broker routes REPLYs to agents). */
  private static JsonObject echo(String agentId, JsonObject message) {
    return new JsonObject()
        .put(Fields.MESSAGE_TYPE, MessageType.REPLY.name())
        .put(Fields.MESSAGE_ID, UUID.randomUUID().toString())
        .put(Fields.SENDER_ID, agentId)
        .put(Fields.RECEIVER_ID, message.getString(Fields.SENDER_ID, ""))
        .put(Fields.TEXT_PAYLOAD, "Echo: " + message.getString(Fields.TEXT_PAYLOAD, ""))
        .put(Fields.SEND_TIMESTAMP, Timestamps.format(Instant.now()))
        .put(Fields.IN_REPLY_TO_MESSAGE_ID, message.getString(Fields.MESSAGE_ID));
  }

  private static void forwardThenAck(CompanionAmqp amqp, RabbitMQMessage delivery, String queue, JsonObject message) {
    long tag = delivery.envelope().getDeliveryTag();
    amqp.publish(queue, message).onComplete(published -> amqp.ack(tag), failed -> amqp.requeue(tag));
  }

  public Future<Void> stop() {
    return Future.join(connections.stream().map(CompanionAmqp::close).toList()).mapEmpty();
  }
}
