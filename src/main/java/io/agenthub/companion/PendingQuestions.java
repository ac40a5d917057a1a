package io.agenthub.companion;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The questions the broker routed that are not answered yet, with the agent each went to: how many wait for each
 * agent (known at once, unlike the hub's figures, which come once per interval), how fast each answers, and which to
 * send again when an agent goes offline. Bounded: the oldest question is forgotten beyond {@value #MAX_PENDING}, and
 * any older than the broker's patience ({@link #expire}). Pure: times are given, in nanoseconds.
 */
final class PendingQuestions {
  static final int MAX_PENDING = 100_000;
  /** The weight of the newest latency in an agent's running average. */
  private static final double LATENCY_WEIGHT = 0.2;

  /** A question as routed: {@code routed} is the message published, {@code skill} null when it named none. */
  record Question(String messageId, String agentId, String sender, String skill, JsonObject routed, int attempt,
      long routedAtNanos) {
  }

  private final LinkedHashMap<String, Question> questions = new LinkedHashMap<>();
  private final Map<String, Integer> perAgent = new HashMap<>();
  private final Map<String, Double> latencyMs = new HashMap<>();

  void routed(Question question) {
    forget(questions.put(question.messageId(), question));
    perAgent.merge(question.agentId(), 1, Integer::sum);
    if (questions.size() > MAX_PENDING) {
      Iterator<Question> oldest = questions.values().iterator();
      forget(oldest.next());
      oldest.remove();
    }
  }

  /** An answer from {@code agentId} to {@code inReplyTo}; the latency counts when that agent was the one asked. */
  void answered(String agentId, String inReplyTo, long nowNanos) {
    Question question = inReplyTo == null ? null : questions.remove(inReplyTo);
    if (question == null) {
      return;
    }
    forget(question);
    if (question.agentId().equals(agentId)) {
      double latency = (nowNanos - question.routedAtNanos()) / 1e6;
      latencyMs.merge(agentId, latency, (old, sample) -> old + LATENCY_WEIGHT * (sample - old));
    }
  }

  int pending(String agentId) {
    return perAgent.getOrDefault(agentId, 0);
  }

  /** The running latency of the agent's answers to this broker, null before its first. */
  Long latencyMs(String agentId) {
    Double latency = latencyMs.get(agentId);
    return latency == null ? null : Math.round(latency);
  }

  /** Removes and returns the questions waiting for agents that {@code gone} says are gone, oldest first. */
  List<Question> takeWaitingFor(Predicate<String> gone) {
    List<Question> taken = new ArrayList<>();
    Iterator<Question> all = questions.values().iterator();
    while (all.hasNext()) {
      Question question = all.next();
      if (gone.test(question.agentId())) {
        all.remove();
        forget(question);
        taken.add(question);
      }
    }
    return taken;
  }

  /** Forgets questions routed before {@code cutoffNanos}: their answer is not expected any more. */
  void expire(long cutoffNanos) {
    Iterator<Question> all = questions.values().iterator();
    while (all.hasNext()) {
      Question question = all.next();
      if (question.routedAtNanos() - cutoffNanos >= 0) {
        return;
      }
      all.remove();
      forget(question);
    }
  }

  private void forget(Question question) {
    if (question != null) {
      perAgent.computeIfPresent(question.agentId(), (agent, count) -> count <= 1 ? null : count - 1);
    }
  }
}
