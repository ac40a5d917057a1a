package io.agenthub.companion;

import io.agenthub.clock.HubClock;
import io.agenthub.protocol.ClientRole;
import io.agenthub.protocol.Fields;
import io.agenthub.protocol.MessageType;
import io.agenthub.protocol.Timestamps;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

/**
 * The reference broker's routing decision, kept free of I/O. Replies find their frontend because a receiver that names
 * a frontend or broker is passed through, as does a message for an online agent other than its sender; anything
 * addressed to "server", nobody or an unknown id goes to an online agent other than its sender; ERRORs pass
 * unchanged, as with the seed broker. How the agent is chosen is the {@link Mode}. In either mode it counts how often a
 * question went to a busy agent while another capable one was idle ({@link RoutingStats}). The broker calls it from
 * its AMQP consumer and its hub socket, so its methods hold its lock.
 */
final class BrokerRouting {
  static final String NO_AGENT_TEXT = "No agent is available to handle your message.";
  /** The reference broker's own {@code error_code} when no online agent has the skill a question names. */
  static final String SKILL_UNAVAILABLE = "SKILL_UNAVAILABLE";
  /** How long the broker waits for an answer before it forgets a question (and would not send it again). */
  private static final long PATIENCE_NANOS = 600_000_000_000L;

  /** {@code broker --routing random|load}. */
  enum Mode {
    /** The seed broker's: a random online agent; skills, load and idempotency keys play no part. */
    RANDOM,
    /**
     * Protocol extensions "agent cards" and "live load": a question naming a {@code skill} goes to an agent that has
     * it, the least loaded among them ({@link LoadAwareChoice}); a question whose agent went offline before answering
     * is sent again, once, to another.
     */
    LOAD
  }

  private final AgentBoard board = new AgentBoard();
  private final PendingQuestions pending = new PendingQuestions();
  private final RandomGenerator random;
  private final Mode mode;
  private final LongSupplier nanoTime;
  private long questions;
  private long queuedBehindBusy;

  BrokerRouting(RandomGenerator random, Mode mode, LongSupplier nanoTime) {
    this.random = random;
    this.mode = mode;
    this.nanoTime = nanoTime;
  }

  /**
   * Takes in a status update; with load-aware routing, returns what to publish for the questions whose agent went
   * offline before answering: each sent again to another capable agent, or an ERROR for its sender when there is none.
   */
  synchronized List<JsonObject> onStatusUpdate(JsonObject update, String brokerId) {
    board.apply(update);
    pending.expire(nanoTime.getAsLong() - PATIENCE_NANOS);
    List<PendingQuestions.Question> orphaned = pending.takeWaitingFor(agentId -> !board.isOnline(agentId));
    if (mode == Mode.RANDOM) {
      return List.of();
    }
    List<JsonObject> again = new ArrayList<>();
    for (PendingQuestions.Question question : orphaned) {
      if (question.attempt() == 1) {
        again.add(sendAgain(question, brokerId));
      }
    }
    return again;
  }

  synchronized boolean seesOnline(String agentId) {
    return board.isOnline(agentId);
  }

  synchronized RoutingStats stats() {
    return new RoutingStats(questions, queuedBehindBusy);
  }

  /** The message the broker {@code brokerId} publishes to broker_output_queue for one from broker_input_queue. */
  synchronized JsonObject route(JsonObject message, String brokerId) {
    String sender = senderOf(message);
    noteAnswer(message, sender);
    if (MessageType.ERROR.name().equals(message.getString(Fields.MESSAGE_TYPE))) {
      return message;
    }
    String receiver = message.getString(Fields.RECEIVER_ID, "");
    if (isFrontendOrBroker(receiver) || (board.isOnline(receiver) && !receiver.equals(sender))) {
      return message;
    }
    String skill = mode == Mode.LOAD && message.getValue(Fields.SKILL) instanceof String named ? named : null;
    List<String> capable = capable(skill, sender, Set.of());
    if (capable.isEmpty()) {
      return unanswerable(message, sender, skill, brokerId);
    }
    String chosen = choose(capable, message);
    JsonObject routed = message.copy().put(Fields.RECEIVER_ID, chosen);
    if (MessageType.TEXT.name().equals(message.getString(Fields.MESSAGE_TYPE))) {
      count(chosen, capable);
      track(routed, sender, skill, 1);
    }
    return routed;
  }

  /** A question waits when its agent is at its concurrency (1 when the card says none) with questions from before. */
  private void count(String chosen, List<String> capable) {
    questions++;
    AgentBoard.Agent agent = board.get(chosen);
    int capacity = agent == null || agent.maxConcurrency() == null ? 1 : agent.maxConcurrency();
    if (pending.pending(chosen) >= capacity && capable.stream().anyMatch(other -> pending.pending(other) == 0)) {
      queuedBehindBusy++;
    }
  }

  /**
   * The question waits for its answer; with load-aware routing it carries its idempotency key (its message id) and
   * its attempt, for the agent to see.
   */
  private void track(JsonObject routed, String sender, String skill, int attempt) {
    String messageId = routed.getString(Fields.MESSAGE_ID);
    if (messageId == null) {
      return;
    }
    if (mode == Mode.LOAD) {
      if (!(routed.getValue(Fields.IDEMPOTENCY_KEY) instanceof String)) {
        routed.put(Fields.IDEMPOTENCY_KEY, messageId);
      }
      routed.put(Fields.ATTEMPT, attempt);
    }
    pending.routed(new PendingQuestions.Question(messageId, routed.getString(Fields.RECEIVER_ID), sender, skill,
        routed, attempt, nanoTime.getAsLong()));
  }

  private JsonObject sendAgain(PendingQuestions.Question question, String brokerId) {
    List<String> capable = capable(question.skill(), question.sender(), Set.of(question.agentId()));
    if (capable.isEmpty()) {
      return unanswerable(question.routed(), question.sender(), question.skill(), brokerId);
    }
    JsonObject again = question.routed().copy().put(Fields.RECEIVER_ID, choose(capable, question.routed()));
    track(again, question.sender(), question.skill(), 2);
    return again;
  }

  /** An agent's REPLY or ERROR naming a question answers it. */
  private void noteAnswer(JsonObject message, String sender) {
    String type = message.getString(Fields.MESSAGE_TYPE);
    if ((MessageType.REPLY.name().equals(type) || MessageType.ERROR.name().equals(type))
        && message.getValue(Fields.IN_REPLY_TO_MESSAGE_ID) instanceof String inReplyTo) {
      pending.answered(sender, inReplyTo, nanoTime.getAsLong());
    }
  }

  /** The online agents other than the sender (and {@code excluded}) that have the skill, in id order. */
  private List<String> capable(String skill, String sender, Set<String> excluded) {
    return board.online(skill).stream().map(AgentBoard.Agent::id)
        .filter(agent -> !agent.equals(sender) && !excluded.contains(agent)).toList();
  }

  /**
   * Randomly, the choice follows the {@code message_id} (at random without one): a message the broker consumes twice
   * (its ack lost with its connection) goes to the same agent with the same bytes while the agents online stay the
   * same, so the hub and the agent recognise the repeat. Load-aware, the idempotency key does that.
   */
  private String choose(List<String> capable, JsonObject message) {
    if (mode == Mode.RANDOM) {
      return capable.get(message.getValue(Fields.MESSAGE_ID) instanceof String id
          ? Math.floorMod(id.hashCode(), capable.size()) : random.nextInt(capable.size()));
    }
    return LoadAwareChoice.choose(capable.stream()
        .map(agentId -> LoadAwareChoice.of(board.get(agentId), pending)).toList(), random);
  }

  private static String senderOf(JsonObject message) {
    String stamped = message.getString(Fields.CLIENT_ID);
    return stamped != null ? stamped : message.getString(Fields.SENDER_ID, "");
  }

  private static boolean isFrontendOrBroker(String receiver) {
    return ClientRole.ofId(receiver).filter(role -> role != ClientRole.AGENT).isPresent();
  }

  /**
   * The hub routes a broker ERROR carrying {@code _client_id} to that client. A question that named a skill is told
   * which one is missing.
   */
  private static JsonObject unanswerable(JsonObject message, String sender, String skill, String brokerId) {
    JsonObject error = new JsonObject()
        .put(Fields.MESSAGE_TYPE, MessageType.ERROR.name())
        .put(Fields.MESSAGE_ID, UUID.randomUUID().toString())
        .put(Fields.SENDER_ID, brokerId)
        .put(Fields.RECEIVER_ID, sender)
        .put(Fields.CLIENT_ID, sender)
        .put(Fields.TEXT_PAYLOAD, skill == null ? NO_AGENT_TEXT : "No agent with skill \"" + skill + "\" is available.")
        .put(Fields.SEND_TIMESTAMP, Timestamps.format(HubClock.SYSTEM.now()));
    if (skill != null) {
      error.put(Fields.ERROR_CODE, SKILL_UNAVAILABLE).put(Fields.SKILL, skill);
    }
    String messageId = message.getString(Fields.MESSAGE_ID);
    if (messageId != null) {
      error.put(Fields.IN_REPLY_TO_MESSAGE_ID, messageId);
    }
    return error;
  }
}
