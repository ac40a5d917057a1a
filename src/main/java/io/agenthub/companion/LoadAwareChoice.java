package io.agenthub.companion;

import java.util.Comparator;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The reference broker's load-aware choice among capable agents, pure. Never a stale agent while another is not
 * stale; then agents below their {@code max_concurrency} before those at it; then the fewest messages waiting: the
 * queue's depth, then the questions this broker routed there that are not answered yet (its own count is current,
 * where the hub's figures are up to an interval old: ranked first on the hub's count, a burst of questions would all go
 * to the agent that was idle a second ago, and an agent idle now would be passed over), then the hub's count of
 * unanswered questions (which also counts other brokers'); then the lowest recent latency (the broker's own measure,
 * else the hub's). Agents equal in all of these are chosen among at random, so that load spreads.
 */
final class LoadAwareChoice {

  /** What the choice weighs for one agent. */
  record Candidate(String agentId, boolean stale, boolean atCapacity, int queueDepth, int pending, int unanswered,
      long latencyMs) {
  }

  private static final Comparator<Candidate> LEAST_LOADED = Comparator
      .comparing(Candidate::stale)
      .thenComparing(Candidate::atCapacity)
      .thenComparingInt(Candidate::queueDepth)
      .thenComparingInt(Candidate::pending)
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
    int own = pending.pending(agent.id());
    Long latency = pending.latencyMs(agent.id());
    latency = latency != null ? latency : agent.latencyMs();
    return new Candidate(agent.id(), agent.stale(), agent.maxConcurrency() != null && own >= agent.maxConcurrency(),
        agent.queueDepth(), own, agent.unanswered(), latency == null ? 0 : latency);
  }
}
