package io.agenthub.companion;

import io.agenthub.clock.HubClock;
import io.agenthub.protocol.Queues;
import io.agenthub.protocol.ClientRole;
import io.agenthub.protocol.Fields;
import io.agenthub.protocol.MessageType;
import io.agenthub.protocol.Timestamps;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.rabbitmq.RabbitMQConsumer;
import io.vertx.rabbitmq.RabbitMQMessage;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An echo agent like the seed ones: registers over the WebSocket, answers PINGs, consumes its own
 * {@code agent_queue_<id>} over AMQP and answers every TEXT with a REPLY to its sender, published to
 * {@code broker_input_queue}. It answers nothing else, so two agents never echo each other forever. Started with a
 * word rate ({@code agent --stream}), it registers with {@code "streams": true} and streams each answer over its
 * WebSocket instead ({@link StreamingEcho}).
 */
public final class EchoAgentCompanion {
  private static final Logger LOG = LoggerFactory.getLogger(EchoAgentCompanion.class);

  private final Vertx vertx;
  private final CompanionSettings settings;
  private final HubSocket hub;
  private final StreamingEcho streams;
  private CompanionAmqp amqp;
  private RabbitMQConsumer consumer;

  private EchoAgentCompanion(Vertx vertx, CompanionSettings settings, String name, int wordsPerSecond) {
    this.vertx = vertx;
    this.settings = settings;
    this.hub = new HubSocket(vertx, settings, ClientRole.AGENT, name, this::onHubFrame);
    this.streams = wordsPerSecond <= 0 ? null
        : new StreamingEcho(vertx, hub::send, wordsPerSecond, this::replyWhole, tag -> amqp.ack(tag));
    if (streams != null) {
      hub.withRegistrationFields(new JsonObject().put(Fields.STREAMS, true));
    }
  }

  /** Completes once the agent is registered and consuming its queue; it answers with one REPLY per message. */
  public static Future<EchoAgentCompanion> start(Vertx vertx, CompanionSettings settings, String name) {
    return start(vertx, settings, name, 0);
  }

  /**
   * Completes once the agent is registered and consuming its queue; with {@code wordsPerSecond} above 0 it streams
   * its answers at that rate, a word a chunk.
   */
  public static Future<EchoAgentCompanion> start(Vertx vertx, CompanionSettings settings, String name,
      int wordsPerSecond) {
    EchoAgentCompanion agent = new EchoAgentCompanion(vertx, settings, name, wordsPerSecond);
    return agent.hub.connect()
        .compose(agent::connectAmqp)
        .compose(agent::consumeOwnQueue)
        .map(consuming -> {
          agent.hub.onRegistered(agent::onReregistered);
          return agent;
        });
  }

  public String agentId() {
    return hub.id();
  }

  public Future<Void> stop() {
    Future<Void> amqpClosed = amqp == null ? Future.succeededFuture() : amqp.close();
    return amqpClosed.eventually(hub::close);
  }

  private Future<String> connectAmqp(String id) {
    return CompanionAmqp.connect(vertx, settings, "agent-hub echo agent " + id)
        .map(connected -> {
          amqp = connected;
          return id;
        });
  }

  private Future<RabbitMQConsumer> consumeOwnQueue(String id) {
    String queue = Queues.agentQueue(id);
    return amqp.consume(queue).onSuccess(started -> {
      consumer = started;
      consumer.handler(this::onDelivery);
      LOG.info("Agent {} consumes {} on RabbitMQ {}", id, queue, settings.rabbitTarget());
    });
  }

  /**
   * After a reconnect the hub may have refused our old id; then the new id has a new queue. Streams in progress are
   * taken back.
   */
  private void onReregistered(String id) {
    if (consumer != null && !consumer.queueName().equals(Queues.agentQueue(id))) {
      consumer.cancel().compose(cancelled -> consumeOwnQueue(id));
    }
    if (streams != null) {
      streams.onReregistered();
    }
  }

  private void onHubFrame(JsonObject frame) {
    if (streams != null) {
      streams.onFrame(frame);
    }
  }

  private void onDelivery(RabbitMQMessage delivery) {
    long tag = delivery.envelope().getDeliveryTag();
    JsonObject message;
    try {
      message = delivery.body().toJsonObject();
    } catch (DecodeException notJson) {
      LOG.warn("Agent {}: dropped a message that is not a JSON object: {}", agentId(), delivery.body());
      amqp.ack(tag);
      return;
    }
    if (!MessageType.TEXT.name().equals(message.getString(Fields.MESSAGE_TYPE))) {
      LOG.debug("Agent {}: no answer to {} {}", agentId(), message.getString(Fields.MESSAGE_TYPE),
          message.getString(Fields.MESSAGE_ID));
      amqp.ack(tag);
      return;
    }
    if (streams != null) {
      streams.answer(message, tag);
      return;
    }
    replyWhole(message, tag);
  }

  private void replyWhole(JsonObject message, long tag) {
    amqp.publish(Queues.BROKER_INPUT, replyTo(message))
        .onSuccess(published -> amqp.ack(tag))
        .onFailure(failed -> {
          LOG.warn("Agent {}: could not publish the reply to {} ({}); message returned to its queue", agentId(),
              message.getString(Fields.MESSAGE_ID), failed.getMessage());
          amqp.requeue(tag);
        });
  }

  private JsonObject replyTo(JsonObject message) {
    JsonObject reply = new JsonObject()
        .put(Fields.MESSAGE_TYPE, MessageType.REPLY.name())
        .put(Fields.MESSAGE_ID, UUID.randomUUID().toString())
        .put(Fields.SENDER_ID, agentId())
        .put(Fields.RECEIVER_ID, message.getString(Fields.SENDER_ID, ""))
        .put(Fields.TEXT_PAYLOAD, "Echo: " + message.getString(Fields.TEXT_PAYLOAD, ""))
        .put(Fields.SEND_TIMESTAMP, Timestamps.format(HubClock.SYSTEM.now()));
    String messageId = message.getString(Fields.MESSAGE_ID);
    if (messageId != null) {
      reply.put(Fields.IN_REPLY_TO_MESSAGE_ID, messageId);
    }
    return reply;
  }
}
