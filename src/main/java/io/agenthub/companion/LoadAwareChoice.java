package io.agenthub.companion;

import java.util.Comparator;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The reference broker's load-aware choice among capable agents, pure. Never a stale agent while another is not
 * stale; then agents below their {@code max_concurrency} before those at it; then the fewest messages waiting (the
 * queue's depth, then unanswered questions: the hub's count or the broker's own, whichever is higher, since the
 * broker's own is current and the hub's counts other brokers' questions too); then the lowest recent latency (the
 * broker's own measure, else the hub's). Agents equal in all of these are chosen among at random, so that load
 * spreads.
 */
final class LoadAwareChoice {

  /** What the choice weighs for one agent. */
  record Candidate(String agentId, boolean stale, boolean atCapacity, int queueDepth, int unanswered, long latencyMs) {
  }

  private static final Comparator<Candidate> LEAST_LOADED = Comparator
      .comparing(Candidate::stale)
      .thenComparing(Candidate::atCapacity)
      .thenComparingInt(Candidate::queueDepth)
      .thenComparingInt(Candidate::unanswered)
      .thenComparingLong(Candidate::latencyMs);

  private LoadAwareChoice() {
  }

  /** One of the least loaded; {@code candidates} must not be empty. */
  static String choose(List<Candidate> candidates, RandomGenerator random) {
    Candidate best = candidates.stream().min(LEAST_LOADED).orElseThrow();
    List<Candidate> equal = candidates.stream().filter(c -> LEAST_LOADED.compare(c, best) == 0).toList();
    return equal.get(random.nextInt(equal.size())).agentId();
  }

  /** The candidate of one agent, from the board and the broker's own pending questions. */
  static Candidate of(AgentBoard.Agent agent, PendingQuestions pending) {
    int unanswered = Math.max(agent.unanswered(), pending.pending(agent.id()));
    Long latency = pending.latencyMs(agent.id());
    latency = latency != null ? latency : agent.latencyMs();
    return new Candidate(agent.id(), agent.stale(),
        agent.maxConcurrency() != null && unanswered >= agent.maxConcurrency(), agent.queueDepth(), unanswered,
        latency == null ? 0 : latency);
  }
}
