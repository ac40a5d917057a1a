package io.agenthub.bridge;

import io.agenthub.bus.AgentMeasure;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Protocol extension "live load": the questions this instance handed to agents that they have not answered yet, and
 * how fast each agent answers. A question is a TEXT published to {@code agent_queue_<id>}; an answer is a REPLY or
 * ERROR from that agent naming it in {@code in_reply_to_message_id} (or {@code in_reply_to}); an answer that names
 * none is taken as the answer to the agent's oldest question. A question is forgotten after AGENT_UNANSWERED_TTL, and
 * an agent's oldest once it has {@value #MAX_PER_AGENT} unanswered. Pure: times are given, in epoch milliseconds.
 */
final class Handoffs {
  static final int MAX_PER_AGENT = 10_000;
  /** The weight of the newest latency in an agent's running average. */
  private static final double LATENCY_WEIGHT = 0.2;

  /** One agent's answers: when it last answered, its running latency, answers since the last measure. */
  private static final class Answers {
    Long lastAnswerAt;
    Double latencyMs;
    int sinceMeasured;
  }

  /** Per agent, its unanswered questions by message id, oldest first, with when each was handed. */
  private final Map<String, LinkedHashMap<String, Long>> unanswered = new HashMap<>();
  private final Map<String, Answers> answers = new HashMap<>();

  void handed(String agentId, String messageId, long atMillis) {
    LinkedHashMap<String, Long> questions = unanswered.computeIfAbsent(agentId, id -> new LinkedHashMap<>());
    questions.putIfAbsent(messageId, atMillis);
    if (questions.size() > MAX_PER_AGENT) {
      Iterator<String> oldest = questions.keySet().iterator();
      oldest.next();
      oldest.remove();
    }
  }

  /**
   * The agent answered {@code inReplyTo} (null: its oldest question). True when the question was one this instance
   * handed; the answer counts as a sign the agent answers either way.
   */
  boolean answered(String agentId, String inReplyTo, long atMillis) {
    Answers agent = answers.computeIfAbsent(agentId, id -> new Answers());
    agent.lastAnswerAt = atMillis;
    Long handedAt = removeQuestion(agentId, inReplyTo);
    if (handedAt == null) {
      return false;
    }
    double latency = Math.max(0, atMillis - handedAt);
    agent.latencyMs = agent.latencyMs == null ? latency
        : agent.latencyMs + LATENCY_WEIGHT * (latency - agent.latencyMs);
    agent.sinceMeasured++;
    return true;
  }

  /**
   * The question no longer waits, and no latency is measured here: another instance saw it answered (and measured
   * it), or its publish failed. {@code inReplyTo} null: the agent's oldest.
   */
  void forget(String agentId, String inReplyTo) {
    removeQuestion(agentId, inReplyTo);
  }

  /**
   * Forgets the questions handed before {@code cutoffMillis}, and the answers of agents that have answered nothing
   * since and wait for nothing: what is measured stays bounded by the agents recently at work.
   */
  void expire(long cutoffMillis) {
    unanswered.values().forEach(questions -> questions.values().removeIf(handedAt -> handedAt < cutoffMillis));
    unanswered.values().removeIf(Map::isEmpty);
    answers.entrySet().removeIf(agent -> agent.getValue().lastAnswerAt < cutoffMillis
        && !unanswered.containsKey(agent.getKey()));
  }

  /**
   * What this instance measured of every agent it handed a question to or saw answer; {@code queues} adds the depth of
   * the queues it polled ({@link QueueDepths}), with the agents they belong to. The answers counted restart from 0.
   */
  Map<String, AgentMeasure> measures(Map<String, QueueDepths.Depth> queues) {
    Map<String, AgentMeasure> measures = new HashMap<>();
    for (String agentId : agentsKnown(queues)) {
      LinkedHashMap<String, Long> questions = unanswered.getOrDefault(agentId, new LinkedHashMap<>());
      Answers agent = answers.get(agentId);
      QueueDepths.Depth depth = queues.get(agentId);
      Long oldest = questions.isEmpty() ? null : questions.values().iterator().next();
      measures.put(agentId, new AgentMeasure(depth == null ? null : depth.ready(), questions.size(),
          earliest(oldest, depth == null ? null : depth.nonEmptySince()),
          agent == null ? null : agent.lastAnswerAt,
          agent == null || agent.latencyMs == null ? null : Math.round(agent.latencyMs),
          agent == null ? 0 : agent.sinceMeasured, null));
      if (agent != null) {
        agent.sinceMeasured = 0;
      }
    }
    return measures;
  }

  private Iterable<String> agentsKnown(Map<String, QueueDepths.Depth> queues) {
    Set<String> agents = new TreeSet<>(unanswered.keySet());
    agents.addAll(answers.keySet());
    agents.addAll(queues.keySet());
    return agents;
  }

  private Long removeQuestion(String agentId, String inReplyTo) {
    LinkedHashMap<String, Long> questions = unanswered.get(agentId);
    if (questions == null || questions.isEmpty()) {
      return null;
    }
    if (inReplyTo != null) {
      return questions.remove(inReplyTo);
    }
    Iterator<Map.Entry<String, Long>> oldest = questions.entrySet().iterator();
    Long handedAt = oldest.next().getValue();
    oldest.remove();
    return handedAt;
  }

  private static Long earliest(Long a, Long b) {
    if (a == null) {
      return b;
    }
    return b == null ? a : Math.min(a, b);
  }
}
