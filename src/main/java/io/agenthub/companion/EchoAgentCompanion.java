package io.agenthub.companion;

import io.agenthub.clock.HubClock;
import io.agenthub.protocol.Queues;
import io.agenthub.protocol.ClientRole;
import io.agenthub.protocol.Fields;
import io.agenthub.protocol.MessageType;
import io.agenthub.protocol.ReportedLoad;
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
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An echo agent like the seed ones: registers over the WebSocket, answers PINGs, consumes its own
 * {@code agent_queue_<id>} over AMQP and answers every TEXT with a REPLY to its sender, published to
 * {@code broker_input_queue}. It answers nothing else, so two agents never echo each other forever. Started with a
 * word rate ({@code agent --stream}), it registers with {@code "streams": true} and streams each answer over its
 * WebSocket instead ({@link StreamingEcho}). With skills or a concurrency ({@link EchoOptions}) it registers with a
 * card, works at the pace its options set ({@link EchoWork}) and reports its tasks in progress in its PONGs. A
 * message that arrives again is not answered twice: not the same hub delivery ({@link RecentAnswers}), nor a question
 * with an {@code idempotency_key} it already answered ({@link RepeatGuard}).
 */
public final class EchoAgentCompanion {
  private static final Logger LOG = LoggerFactory.getLogger(EchoAgentCompanion.class);

  private final Vertx vertx;
  private final CompanionSettings settings;
  private final HubSocket hub;
  private final StreamingEcho streams;
  private final RecentAnswers answers = new RecentAnswers();
  private final EchoWork work;
  private final RepeatGuard repeats = new RepeatGuard();
  /** The idempotency key ("" for none) of each answer in the agent's work, by answer id. */
  private final Map<Long, String> keys = new ConcurrentHashMap<>();
  private CompanionAmqp amqp;
  private RabbitMQConsumer consumer;

  private EchoAgentCompanion(Vertx vertx, CompanionSettings settings, EchoOptions options) {
    this.vertx = vertx;
    this.settings = settings;
    this.hub = new HubSocket(vertx, settings, ClientRole.AGENT, options.name(), this::onHubFrame);
    this.work = new EchoWork(vertx, options.maxConcurrency(), options.workMillis());
    this.streams = options.wordsPerSecond() <= 0 ? null
        : new StreamingEcho(vertx, hub::send, options.wordsPerSecond(), this::replyWhole, this::streamEnded);
    JsonObject registration = new JsonObject();
    if (streams != null) {
      registration.put(Fields.STREAMS, true);
    }
    if (options.hasCard()) {
      registration.put(Fields.CARD, options.card());
      hub.withPongLoad(() -> new JsonObject().put(ReportedLoad.TASKS_IN_PROGRESS, work.inProgress()));
    }
    hub.withRegistrationFields(registration);
  }

  /** Completes once the agent is registered and consuming its queue; it answers with one REPLY per message. */
  public static Future<EchoAgentCompanion> start(Vertx vertx, CompanionSettings settings, String name) {
    return start(vertx, settings, EchoOptions.named(name));
  }

  /** Completes once the agent is registered and consuming its queue; it behaves as {@code options} say. */
  public static Future<EchoAgentCompanion> start(Vertx vertx, CompanionSettings settings, EchoOptions options) {
    EchoAgentCompanion agent = new EchoAgentCompanion(vertx, settings, options);
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
    RecentAnswers.Decision decision = answers.received(RecentAnswers.keyOf(delivery), receipt);
    switch (decision.kind()) {
      case ANSWER -> admit(message, decision.answerId());
      case RESEND -> publish(decision.answerId(), decision.reply());
      case ACK -> amqp.ack(receipt);
      case WAIT -> { }
    }
    if (decision.kind() != RecentAnswers.Kind.ANSWER) {
      LOG.debug("Agent {}: {} arrived again ({}); not answered twice", agentId(),
          message.getString(Fields.MESSAGE_ID), decision.kind());
    }
  }

  /** A question answered here before under its idempotency key is dropped; the others wait for a work slot. */
  private void admit(JsonObject message, long answerId) {
    String key = message.getValue(Fields.IDEMPOTENCY_KEY) instanceof String k ? k : null;
    if (!repeats.admit(key)) {
      LOG.debug("Agent {}: question {} already answered here; the repeat is dropped", agentId(), key);
      answers.sent(answerId).forEach(amqp::ack);
      return;
    }
    keys.put(answerId, key == null ? "" : key);
    work.submit(() -> answer(message, answerId));
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
        .onSuccess(published -> {
          RecentAnswers.Settled settled = answers.published(answerId, over, consumer.consumerTag());
          settled.acks().forEach(amqp::ack);
          if (settled.publishAgain() != null) {
            publish(answerId, settled.publishAgain());
          }
          finished(answerId, true);
        })
        .onFailure(failed -> {
          LOG.warn("Agent {}: could not publish a reply ({}); message returned to its queue", agentId(),
              failed.getMessage());
          answers.failed(answerId).forEach(amqp::requeue);
          finished(answerId, false);
        });
  }

  /** A streamed answer ended: its deliveries are acknowledged, and a repeat of it is dropped. */
  private void streamEnded(long answerId) {
    answers.sent(answerId).forEach(amqp::ack);
    finished(answerId, true);
  }

  /**
   * The answer was sent, or not: its work slot is free, and its idempotency key answered or released. A reply
   * published again for a repeat took no slot.
   */
  private void finished(long answerId, boolean answered) {
    String key = keys.remove(answerId);
    if (key == null) {
      return;
    }
    String idempotencyKey = key.isEmpty() ? null : key;
    if (answered) {
      repeats.answered(idempotencyKey);
    } else {
      repeats.released(idempotencyKey);
    }
    work.done();
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
