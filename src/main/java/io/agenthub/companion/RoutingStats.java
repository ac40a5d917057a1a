package io.agenthub.companion;

/**
 * What the reference broker counted since it started: the questions it routed to an agent it chose, and how many of
 * them it sent to an agent that was busy (answering as many questions as its concurrency, 1 when its card declares
 * none) while another agent that could answer them had none: questions that waited behind a busy agent while another
 * was idle.
 */
public record RoutingStats(long questions, long queuedBehindBusy) {

  /** What was counted since {@code earlier}. */
  public RoutingStats since(RoutingStats earlier) {
    return new RoutingStats(questions - earlier.questions, queuedBehindBusy - earlier.queuedBehindBusy);
  }
}
