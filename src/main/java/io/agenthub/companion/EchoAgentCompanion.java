package io.agenthub.companion;

import io.agenthub.clock.HubClock;
import io.agenthub.protocol.Queues;
import io.agenthub.protocol.ClientRole;
import io.agenthub.protocol.Fields;
import io.agenthub.protocol.MessageType;
import io.agenthub.protocol.Timestamps;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.rabbitmq.RabbitMQConsumer;
import io.vertx.rabbitmq.RabbitMQMessage;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An echo agent like the seed ones: registers over the WebSocket, answers PINGs, consumes its own
 * {@code agent_queue_<id>} over AMQP and answers every TEXT with a REPLY to its sender, published to
 * {@code broker_input_queue}. It answers nothing else, so two agents never echo each other forever. Started with a
 * word rate ({@code agent --stream}), it registers with {@code "streams": true} and streams each answer over its
 * WebSocket instead ({@link StreamingEcho}). A message that arrives again (same hub delivery key) is not answered
 * twice ({@link RecentAnswers}).
 */
public final class EchoAgentCompanion {
  private static final Logger LOG = LoggerFactory.getLogger(EchoAgentCompanion.class);

  private final Vertx vertx;
  private final CompanionSettings settings;
  private final HubSocket hub;
  private final StreamingEcho streams;
  private final RecentAnswers answers = new RecentAnswers();
  private CompanionAmqp amqp;
  private RabbitMQConsumer consumer;

  private EchoAgentCompanion(Vertx vertx, CompanionSettings settings, String name, int wordsPerSecond) {
    this.vertx = vertx;
    this.settings = settings;
    this.hub = new HubSocket(vertx, settings, ClientRole.AGENT, name, this::onHubFrame);
    this.streams = wordsPerSecond <= 0 ? null
        : new StreamingEcho(vertx, hub::send, wordsPerSecond, this::replyWhole, this::streamed);
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

  /** Messages that arrived again, with the delivery key of one answered or being answered: none answered twice. */
  public long repeatsNotAnsweredTwice() {
    return answers.repeats();
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
    CompanionAmqp.Receipt receipt = CompanionAmqp.Receipt.of(delivery);
    JsonObject message;
    try {
      message = delivery.body().toJsonObject();
    } catch (DecodeException notJson) {
      LOG.warn("Agent {}: dropped a message that is not a JSON object: {}", agentId(), delivery.body());
      amqp.ack(receipt);
      return;
    }
    if (!MessageType.TEXT.name().equals(message.getString(Fields.MESSAGE_TYPE))) {
      LOG.debug("Agent {}: no answer to {} {}", agentId(), message.getString(Fields.MESSAGE_TYPE),
          message.getString(Fields.MESSAGE_ID));
      amqp.ack(receipt);
      return;
    }
    RecentAnswers.Decision decision = answers.received(deliveryKey(delivery), receipt);
    switch (decision.kind()) {
      case ANSWER -> answer(message, decision.answerId());
      case RESEND -> publish(decision.answerId(), decision.reply());
      case ACK -> amqp.ack(receipt);
      case WAIT -> { }
    }
    if (decision.kind() != RecentAnswers.Kind.ANSWER) {
      LOG.debug("Agent {}: {} arrived again ({}); not answered twice", agentId(),
          message.getString(Fields.MESSAGE_ID), decision.kind());
    }
  }

  private static String deliveryKey(RabbitMQMessage delivery) {
    Map<String, Object> headers = delivery.properties() == null ? null : delivery.properties().getHeaders();
    Object key = headers == null ? null : headers.get(Queues.DELIVERY_KEY_HEADER);
    return key == null ? null : key.toString();
  }

  private void answer(JsonObject message, long answerId) {
    if (streams != null) {
      streams.answer(message, answerId);
    } else {
      replyWhole(message, answerId);
    }
  }

  private void replyWhole(JsonObject message, long answerId) {
    publish(answerId, replyTo(message).toBuffer());
  }

  /**
   * The deliveries of the answer are acknowledged once the reply is published; the consumer tag read before the
   * publish names the channel it goes over, so a repeat arriving on another channel publishes it again.
   */
  private void publish(long answerId, Buffer reply) {
    String over = consumer.consumerTag();
    answers.replying(answerId, reply);
    amqp.publish(Queues.BROKER_INPUT, reply)
        .onSuccess(published -> answers.sent(answerId, over).forEach(amqp::ack))
        .onFailure(failed -> {
          LOG.warn("Agent {}: could not publish a reply ({}); message returned to its queue", agentId(),
              failed.getMessage());
          answers.failed(answerId).forEach(amqp::requeue);
        });
  }

  /** A streamed answer ended: its deliveries are acknowledged, and a repeat of it is dropped. */
  private void streamed(long answerId) {
    answers.sent(answerId, null).forEach(amqp::ack);
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
