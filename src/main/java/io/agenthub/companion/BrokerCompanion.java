package io.agenthub.companion;

import io.agenthub.protocol.Queues;
import io.agenthub.protocol.ClientRole;
import io.agenthub.protocol.Fields;
import io.agenthub.protocol.MessageType;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.List;
import io.vertx.rabbitmq.RabbitMQConsumer;
import io.vertx.rabbitmq.RabbitMQMessage;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reference broker: registers with the hub to learn which agents are online, consumes {@code broker_input_queue},
 * chooses each message's receiver ({@link BrokerRouting}) and publishes it to {@code broker_output_queue}. A message
 * is acked only after its routed copy was published, and put back on the queue when that fails. Routing load-aware
 * (the default of the {@code broker} command), it registers with {@code "status_updates":"details"} to see the agents'
 * skills and load, and publishes again the questions whose agent went offline before answering.
 */
public final class BrokerCompanion {
  private static final Logger LOG = LoggerFactory.getLogger(BrokerCompanion.class);
  public static final String NAME = "BrokerService";

  private final BrokerRouting routing;
  private final HubSocket hub;
  private CompanionAmqp amqp;

  private BrokerCompanion(Vertx vertx, CompanionSettings settings, BrokerRouting.Mode mode) {
    this.routing = new BrokerRouting(new Random(), mode, System::nanoTime);
    this.hub = new HubSocket(vertx, settings, ClientRole.BROKER, NAME, this::onHubFrame);
    if (mode == BrokerRouting.Mode.LOAD) {
      hub.withRegistrationFields(new JsonObject().put(Fields.STATUS_UPDATES, "details"));
    }
  }

  /**
   * Completes once the broker is registered with the hub and consuming broker_input_queue; it routes as the seed broker
   * does, to a random online agent.
   */
  public static Future<BrokerCompanion> start(Vertx vertx, CompanionSettings settings) {
    return start(vertx, settings, false);
  }

  /**
   * Completes once the broker is registered with the hub and consuming broker_input_queue; {@code loadAware} false
   * routes as the seed broker does, to a random online agent.
   */
  public static Future<BrokerCompanion> start(Vertx vertx, CompanionSettings settings, boolean loadAware) {
    BrokerCompanion broker = new BrokerCompanion(vertx, settings,
        loadAware ? BrokerRouting.Mode.LOAD : BrokerRouting.Mode.RANDOM);
    return broker.hub.connect()
        .compose(id -> CompanionAmqp.connect(vertx, settings, "agent-hub broker companion " + id))
        .compose(broker::consumeInput)
        .map(consuming -> {
          LOG.info("Broker {} routes {} -> {} on RabbitMQ {}", broker.brokerId(), Queues.BROKER_INPUT,
              Queues.BROKER_OUTPUT, settings.rabbitTarget());
          return broker;
        });
  }

  public String brokerId() {
    return hub.id();
  }

  /** Whether the status updates this broker received so far show the agent online, the view it routes by. */
  public boolean seesOnline(String agentId) {
    return routing.seesOnline(agentId);
  }

  /** How many questions it routed, and how many of them waited behind a busy agent while another was idle. */
  public RoutingStats routingStats() {
    return routing.stats();
  }

  public Future<Void> stop() {
    Future<Void> amqpClosed = amqp == null ? Future.succeededFuture() : amqp.close();
    return amqpClosed.eventually(hub::close);
  }

  private Future<RabbitMQConsumer> consumeInput(CompanionAmqp connected) {
    amqp = connected;
    return amqp.declare(Queues.BROKER_OUTPUT)
        .compose(declared -> amqp.consume(Queues.BROKER_INPUT))
        .onSuccess(consumer -> consumer.handler(this::onInput));
  }

  private void onHubFrame(JsonObject frame) {
    if (MessageType.AGENT_STATUS_UPDATE.name().equals(frame.getString(Fields.MESSAGE_TYPE))) {
      publishAgain(routing.onStatusUpdate(frame, brokerId()));
    }
  }

  /** Questions whose agent went offline before answering, routed again (or answered with an ERROR). */
  private void publishAgain(List<JsonObject> routed) {
    if (amqp == null || routed.isEmpty()) {
      return;
    }
    LOG.info("Broker {}: {} questions whose agent went offline before answering routed again", brokerId(),
        routed.size());
    for (JsonObject message : routed) {
      amqp.publish(Queues.BROKER_OUTPUT, message).onFailure(failed -> LOG.warn(
          "Broker {}: could not publish message {} again: {}", brokerId(), message.getString(Fields.MESSAGE_ID),
          failed.getMessage()));
    }
  }

  private void onInput(RabbitMQMessage delivery) {
    long tag = delivery.envelope().getDeliveryTag();
    JsonObject message;
    try {
      message = delivery.body().toJsonObject();
    } catch (DecodeException notJson) {
      LOG.warn("Broker {}: dropped a message on {} that is not a JSON object: {}", brokerId(), Queues.BROKER_INPUT,
          delivery.body());
      amqp.ack(tag);
      return;
    }
    JsonObject routed = routing.route(message, brokerId());
    LOG.debug("Broker {}: {} {} -> {}", brokerId(), routed.getString(Fields.MESSAGE_TYPE),
        routed.getString(Fields.MESSAGE_ID), routed.getString(Fields.RECEIVER_ID));
    amqp.publish(Queues.BROKER_OUTPUT, routed)
        .onSuccess(published -> amqp.ack(tag))
        .onFailure(failed -> {
          LOG.warn("Broker {}: could not publish message {} ({}); returned to {}", brokerId(),
              message.getString(Fields.MESSAGE_ID), failed.getMessage(), Queues.BROKER_INPUT);
          amqp.requeue(tag);
        });
  }
}
