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
 * card, works at the pace its options set ({@link EchoWork}), reports its tasks in progress in its PONGs, and drops
 * a question it already answered (the same {@code idempotency_key}, {@link RepeatGuard}).
 */
public final class EchoAgentCompanion {
  private static final Logger LOG = LoggerFactory.getLogger(EchoAgentCompanion.class);

  private final Vertx vertx;
  private final CompanionSettings settings;
  private final HubSocket hub;
  private final StreamingEcho streams;
  private final EchoWork work;
  private final RepeatGuard repeats = new RepeatGuard();
  /** The idempotency key ("" for none) of each delivery being answered, by its tag. */
  private final Map<Long, String> keys = new ConcurrentHashMap<>();
  private CompanionAmqp amqp;
  private RabbitMQConsumer consumer;

  private EchoAgentCompanion(Vertx vertx, CompanionSettings settings, EchoOptions options) {
    this.vertx = vertx;
    this.settings = settings;
    this.hub = new HubSocket(vertx, settings, ClientRole.AGENT, options.name(), this::onHubFrame);
    this.work = new EchoWork(vertx, options.maxConcurrency(), options.workMillis());
    this.streams = options.wordsPerSecond() <= 0 ? null
        : new StreamingEcho(vertx, hub, options.wordsPerSecond(), this::replyWhole, this::streamEnded);
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
    return start(vertx, settings, name, 0);
  }

  /**
   * Completes once the agent is registered and consuming its queue; with {@code wordsPerSecond} above 0 it streams
   * its answers at that rate, a word a chunk.
   */
  public static Future<EchoAgentCompanion> start(Vertx vertx, CompanionSettings settings, String name,
      int wordsPerSecond) {
    return start(vertx, settings, EchoOptions.named(name).streaming(wordsPerSecond));
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
    String key = message.getValue(Fields.IDEMPOTENCY_KEY) instanceof String k ? k : null;
    if (!repeats.admit(key)) {
      LOG.debug("Agent {}: question {} already answered here; the repeat is dropped", agentId(), key);
      amqp.ack(tag);
      return;
    }
    keys.put(tag, key == null ? "" : key);
    work.submit(() -> {
      if (streams != null) {
        streams.answer(message, tag);
      } else {
        replyWhole(message, tag);
      }
    });
  }

  private void replyWhole(JsonObject message, long tag) {
    amqp.publish(Queues.BROKER_INPUT, replyTo(message))
        .onSuccess(published -> {
          amqp.ack(tag);
          finished(tag, true);
        })
        .onFailure(failed -> {
          LOG.warn("Agent {}: could not publish the reply to {} ({}); message returned to its queue", agentId(),
              message.getString(Fields.MESSAGE_ID), failed.getMessage());
          amqp.requeue(tag);
          finished(tag, false);
        });
  }

  /** A streamed answer ended (its message is acknowledged). */
  private void streamEnded(long tag) {
    amqp.ack(tag);
    finished(tag, true);
  }

  /** The answer to the delivery was sent, or not: its work slot is free, and its key answered or released. */
  private void finished(long tag, boolean answered) {
    String key = keys.remove(tag);
    String idempotencyKey = key == null || key.isEmpty() ? null : key;
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
