package io.agenthub.presence;

import io.agenthub.protocol.AgentGrade;
import java.time.Duration;

/**
 * Protocol extension "live load": the grade of one agent from its summed load. Pure: the time is given, read from
 * presence's clock. The rules, first match wins:
 * <ol>
 *   <li><b>offline</b>: presence has it offline;</li>
 *   <li><b>stale</b>: messages wait for it (handed and unanswered, or ready in its queue) and it has given no answer
 *       for longer than AGENT_STALE_AFTER since they started waiting: it answers pings, but not messages;</li>
 *   <li><b>busy</b>: it is at its declared {@code max_concurrency} (counting the messages it has not answered, or the
 *       tasks it says are in progress, whichever is more), or its queue grew since the last measurement;</li>
 *   <li><b>available</b>: otherwise.</li>
 * </ol>
 */
final class AgentGrading {

  /**
   * What the grade is made of. Times are epoch milliseconds; {@code queueDepth} and {@code previousQueueDepth} are
   * null when not measured, {@code maxConcurrency} when the card says nothing, {@code waitingSince} when nothing
   * waits, {@code lastAnswerAt} before the first answer, {@code tasksInProgress} when the agent reports none.
   */
  record Inputs(boolean online, Integer maxConcurrency, int unanswered, Integer tasksInProgress, Integer queueDepth,
      Integer previousQueueDepth, Long waitingSince, Long lastAnswerAt) {
  }

  private AgentGrading() {
  }

  static AgentGrade grade(Inputs in, long nowMillis, Duration staleAfter) {
    if (!in.online()) {
      return AgentGrade.OFFLINE;
    }
    if (isStale(in, nowMillis, staleAfter)) {
      return AgentGrade.STALE;
    }
    if (atConcurrency(in) || queueGrowing(in)) {
      return AgentGrade.BUSY;
    }
    return AgentGrade.AVAILABLE;
  }

  private static boolean isStale(Inputs in, long nowMillis, Duration staleAfter) {
    boolean waiting = in.unanswered() > 0 || (in.queueDepth() != null && in.queueDepth() > 0);
    if (!waiting || in.waitingSince() == null) {
      return false;
    }
    long quietSince = in.lastAnswerAt() == null ? in.waitingSince() : Math.max(in.waitingSince(), in.lastAnswerAt());
    return nowMillis - quietSince > staleAfter.toMillis();
  }

  private static boolean atConcurrency(Inputs in) {
    if (in.maxConcurrency() == null) {
      return false;
    }
    int working = Math.max(in.unanswered(), in.tasksInProgress() == null ? 0 : in.tasksInProgress());
    return working >= in.maxConcurrency();
  }

  private static boolean queueGrowing(Inputs in) {
    return in.queueDepth() != null && in.previousQueueDepth() != null && in.queueDepth() > 0
        && in.queueDepth() > in.previousQueueDepth();
  }
}
