package io.agenthub.bridge;

import io.agenthub.bus.AnswerSeen;
import io.agenthub.bus.LoadMeasures;
import io.agenthub.bus.LoadSample;
import io.agenthub.bus.StreamOpened;
import io.agenthub.clock.HubClock;
import io.agenthub.protocol.ClientRole;
import io.agenthub.protocol.Fields;
import io.agenthub.protocol.MessageType;
import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Protocol extension "live load", the bridge's part: it sees every question it hands an agent (a TEXT published to
 * {@code agent_queue_<id>}) and every answer that passes through it (an agent's REPLY or ERROR consumed from
 * {@code broker_output_queue} or forwarded from the agent's socket), and a stream opening counts as the answer to its
 * question. Answers to questions another instance handed are passed on in this instance's report. Asked by presence
 * once per AGENT_LOAD_INTERVAL ({@link #onSample}), it polls its agents' queues ({@link QueueDepths}) and reports.
 * Runs on the bridge's context.
 */
final class AgentWorkload {
  /** Unmatched answers kept for one report at most: beyond, the others' questions expire by AGENT_UNANSWERED_TTL. */
  private static final int MAX_UNMATCHED = 10_000;
  /** How a message an agent forwarded over its socket is stamped, to look only into those. */
  private static final String FROM_AN_AGENT = "\"" + Fields.CONNECTION_TYPE + "\":\"agent\"";

  private final Handoffs handoffs = new Handoffs();
  private final QueueDepths depths;
  private final HubClock clock;
  private final Supplier<BridgeSettings> settings;
  private final List<AnswerSeen> unmatched = new ArrayList<>();

  AgentWorkload(QueueDepths depths, HubClock clock, Supplier<BridgeSettings> settings) {
    this.depths = depths;
    this.clock = clock;
    this.settings = settings;
  }

  /**
   * {@code message} is being published to the agent's queue ({@code publish}): a TEXT waits for its answer from now
   * on. It is counted before the publish, since RabbitMQ may deliver it, and the agent answer it, before the confirm;
   * a publish that fails takes it back.
   */
  <T> Future<T> handing(String agentId, JsonObject message, Supplier<Future<T>> publish) {
    String messageId = text(message, Fields.MESSAGE_ID);
    if (!MessageType.TEXT.name().equals(message.getValue(Fields.MESSAGE_TYPE)) || messageId == null) {
      return publish.get();
    }
    handoffs.handed(agentId, messageId, clock.now().toEpochMilli());
    return publish.get().onFailure(e -> handoffs.forget(agentId, messageId));
  }

  /** A message consumed from broker_output_queue: an agent's REPLY or ERROR answers one of its questions. */
  void observe(JsonObject message) {
    observe(message, true);
  }

  /**
   * A chat message the gateway forwarded to broker_input_queue: an agent's answer that names its question is counted
   * at once. One that names none is left to its passage through broker_output_queue, where it is seen again: it
   * would otherwise answer two questions.
   */
  void observeForwarded(String encoded) {
    if (encoded.contains(FROM_AN_AGENT)) {
      observe(new JsonObject(encoded), false);
    }
  }

  private void observe(JsonObject message, boolean unreferencedCounts) {
    String type = text(message, Fields.MESSAGE_TYPE);
    String sender = text(message, Fields.SENDER_ID);
    if (!(MessageType.REPLY.name().equals(type) || MessageType.ERROR.name().equals(type))
        || ClientRole.ofId(sender).orElse(null) != ClientRole.AGENT) {
      return;
    }
    String inReplyTo = text(message, Fields.IN_REPLY_TO_MESSAGE_ID);
    inReplyTo = inReplyTo != null ? inReplyTo : text(message, "in_reply_to");
    if (inReplyTo == null && !unreferencedCounts) {
      return;
    }
    if (!handoffs.answered(sender, inReplyTo, clock.now().toEpochMilli()) && unmatched.size() < MAX_UNMATCHED) {
      unmatched.add(new AnswerSeen(sender, inReplyTo));
    }
  }

  /** Protocol extension "streamed replies": a stream opening answers its question. */
  void streamOpened(StreamOpened opened) {
    handoffs.answered(opened.header().agentId(), opened.header().inReplyTo(), clock.now().toEpochMilli());
  }

  /** Presence's request on {@code LoadAddresses.BRIDGE_LOAD}: answers matched, questions expired, queues polled. */
  void onSample(Message<JsonObject> request) {
    LoadSample sample = LoadSample.fromJson(request.body());
    sample.answeredElsewhere().forEach(answer -> handoffs.forget(answer.agentId(), answer.inReplyTo()));
    handoffs.expire(clock.now().toEpochMilli() - settings.get().agentUnansweredTtl().toMillis());
    depths.poll(sample.poll()).onSuccess(polled -> request.reply(measured(polled).toJson()));
  }

  /** What was measured, with the depths polled; each unmatched answer is reported once. */
  LoadMeasures measured(Map<String, QueueDepths.Depth> polled) {
    LoadMeasures measures = new LoadMeasures(handoffs.measures(polled), List.copyOf(unmatched));
    unmatched.clear();
    return measures;
  }

  private static String text(JsonObject json, String key) {
    return json.getValue(key) instanceof String s ? s : null;
  }
}
