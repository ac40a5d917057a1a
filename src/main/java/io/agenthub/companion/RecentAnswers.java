package io.agenthub.companion;

import io.agenthub.protocol.Queues;
import io.vertx.core.buffer.Buffer;
import io.vertx.rabbitmq.RabbitMQMessage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The echo agent's memory of the messages it answered lately, by the hub's delivery key (the AMQP header
 * {@code x-hub-delivery-key}, the same for every publish of one message by any hub instance). A message can arrive
 * twice: the hub publishes it again when RabbitMQ's confirm of the first publish was lost with the hub's connection,
 * and RabbitMQ delivers it again when the agent's own ack was lost with the agent's connection. A repeat is never
 * answered anew:
 * <ul>
 *   <li>while the first is being answered (its reply being published, or its answer still streaming), the repeat
 *   waits and is settled with it; but when the reply went out over a channel that broke meanwhile, a repeat waiting
 *   on the new channel gets the reply published again, since RabbitMQ may not have the first;</li>
 *   <li>once it was answered over the channel the repeat arrives on, the repeat is acknowledged and dropped: the
 *   reply went out before the repeat's ack, on a channel still open, so RabbitMQ has it;</li>
 *   <li>when the channel broke since the reply was published (or the publish failed), RabbitMQ may or may not have
 *   it, so the same reply, byte for byte, is published again: the hub writes a frame with the same bytes once to
 *   its receiver, so dropping it could lose the answer and resending it costs nothing.</li>
 * </ul>
 * A message without the header (from another publisher) is answered each time. Bounded: the oldest answers are
 * forgotten first; a repeat comes within moments of a connection's loss, long before {@value #CAPACITY} later
 * messages. Touched only on the agent's context.
 */
final class RecentAnswers {
  static final int CAPACITY = 4_096;

  /** What to do with a delivery; {@code answerId} numbers the answer, {@code reply} is what to publish again. */
  record Decision(Kind kind, long answerId, Buffer reply) {
  }

  /** What a published reply settles: the deliveries to acknowledge, and the reply to publish again (or null). */
  record Settled(List<CompanionAmqp.Receipt> acks, Buffer publishAgain) {
  }

  /** Answer it; publish the earlier reply again; leave it to settle with the answer in progress; acknowledge it. */
  enum Kind { ANSWER, RESEND, WAIT, ACK }

  private static final class Answer {
    final long id;
    /** Deliveries of the message to settle once the answer is sent. */
    final List<CompanionAmqp.Receipt> waiting = new ArrayList<>();
    boolean sending = true;
    /** The whole reply, once one was published; null for a streamed answer. */
    Buffer reply;
    /** The consumer tag of the channel the reply was last published on; null when that publish failed. */
    String sentOver;

    Answer(long id, CompanionAmqp.Receipt receipt) {
      this.id = id;
      waiting.add(receipt);
    }
  }

  private final Map<String, Answer> byKey = new LinkedHashMap<>(16, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Answer> eldest) {
      return size() > CAPACITY;
    }
  };
  /** Answers being sent, by id. */
  private final Map<Long, Answer> sending = new HashMap<>();
  private long lastId;
  private long repeats;

  /** A TEXT delivered, with its delivery key (null without one). */
  Decision received(String key, CompanionAmqp.Receipt receipt) {
    Answer earlier = key == null ? null : byKey.get(key);
    if (earlier == null) {
      Answer answer = new Answer(++lastId, receipt);
      sending.put(answer.id, answer);
      if (key != null) {
        byKey.put(key, answer);
      }
      return new Decision(Kind.ANSWER, answer.id, null);
    }
    repeats++;
    if (earlier.sending) {
      earlier.waiting.add(receipt);
      return new Decision(Kind.WAIT, earlier.id, null);
    }
    if (earlier.reply != null && !receipt.consumerTag().equals(earlier.sentOver)) {
      earlier.sending = true;
      earlier.waiting.add(receipt);
      sending.put(earlier.id, earlier);
      return new Decision(Kind.RESEND, earlier.id, earlier.reply);
    }
    return new Decision(Kind.ACK, earlier.id, null);
  }

  /** The hub's delivery key of a message from an agent queue; null without one. */
  static String keyOf(RabbitMQMessage delivery) {
    Map<String, Object> headers = delivery.properties() == null ? null : delivery.properties().getHeaders();
    Object key = headers == null ? null : headers.get(Queues.DELIVERY_KEY_HEADER);
    return key == null ? null : key.toString();
  }

  /** Deliveries recognised as repeats so far. */
  long repeats() {
    return repeats;
  }

  /** The whole reply of an answer is about to be published. */
  void replying(long answerId, Buffer reply) {
    Answer answer = sending.get(answerId);
    if (answer != null) {
      answer.reply = reply;
    }
  }

  /**
   * The whole reply was published over the channel with consumer tag {@code over}; {@code live} is the consumer's
   * tag now. When that channel broke since, a repeat that came on the live one waits for the reply published again:
   * the first publish may have died with the old connection, and acknowledging the repeat would lose the answer.
   */
  Settled published(long answerId, String over, String live) {
    Answer answer = sending.get(answerId);
    if (answer != null && answer.reply != null && !live.equals(over)
        && answer.waiting.stream().anyMatch(receipt -> receipt.consumerTag().equals(live))) {
      List<CompanionAmqp.Receipt> acks =
          answer.waiting.stream().filter(receipt -> !receipt.consumerTag().equals(live)).toList();
      answer.waiting.removeAll(acks);
      return new Settled(acks, answer.reply);
    }
    return new Settled(settle(answerId, over), null);
  }

  /** The answer was given without a reply of its own (streamed, or dropped as a repeat): the deliveries to ack. */
  List<CompanionAmqp.Receipt> sent(long answerId) {
    return settle(answerId, null);
  }

  /** Publishing the reply failed: returns the deliveries to put back; their return publishes the same reply. */
  List<CompanionAmqp.Receipt> failed(long answerId) {
    return settle(answerId, null);
  }

  private List<CompanionAmqp.Receipt> settle(long answerId, String over) {
    Answer answer = sending.remove(answerId);
    if (answer == null) {
      return List.of();
    }
    answer.sending = false;
    answer.sentOver = over;
    List<CompanionAmqp.Receipt> settled = List.copyOf(answer.waiting);
    answer.waiting.clear();
    return settled;
  }
}
