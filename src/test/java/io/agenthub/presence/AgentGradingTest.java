package io.agenthub.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.agenthub.protocol.AgentGrade;
import io.agenthub.support.ManualClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Protocol extension "live load": one test per rule of the grade, the time read from a manual clock. */
class AgentGradingTest {
  private static final Duration STALE_AFTER = Duration.ofSeconds(60);
  private final ManualClock clock = new ManualClock(Instant.parse("2026-12-07T10:00:00Z"));

  /** An online agent with a concurrency of 2, nothing waiting, nothing measured. */
  private record Agent(boolean online, Integer maxConcurrency, int unanswered, Integer tasks, Integer depth,
      Integer previousDepth, Long waitingSince, Long lastAnswerAt) {
    static Agent idle() {
      return new Agent(true, 2, 0, null, 0, 0, null, null);
    }

    AgentGrading.Inputs inputs() {
      return new AgentGrading.Inputs(online, maxConcurrency, unanswered, tasks, depth, previousDepth, waitingSince,
          lastAnswerAt);
    }
  }

  private AgentGrade grade(Agent agent) {
    return AgentGrading.grade(agent.inputs(), clock.now().toEpochMilli(), STALE_AFTER);
  }

  private long secondsAgo(long seconds) {
    return clock.now().toEpochMilli() - seconds * 1_000;
  }

  @Test
  void anIdleOnlineAgentIsAvailable() {
    assertEquals(AgentGrade.AVAILABLE, grade(Agent.idle()));
  }

  @Test
  void anAgentPresenceHasOfflineIsOfflineWhateverItsLoad() {
    assertEquals(AgentGrade.OFFLINE, grade(new Agent(false, 2, 5, 2, 9, 1, secondsAgo(600), null)));
  }

  @Test
  void atItsDeclaredConcurrencyByUnansweredQuestionsItIsBusy() {
    assertEquals(AgentGrade.BUSY, grade(new Agent(true, 2, 2, null, 0, 0, secondsAgo(1), null)));
    assertEquals(AgentGrade.AVAILABLE, grade(new Agent(true, 2, 1, null, 0, 0, secondsAgo(1), null)));
  }

  @Test
  void atItsDeclaredConcurrencyByTheTasksItReportsItIsBusy() {
    assertEquals(AgentGrade.BUSY, grade(new Agent(true, 2, 0, 2, 0, 0, null, null)));
  }

  @Test
  void anAgentThatDeclaresNoConcurrencyIsNeverBusyByItsCounts() {
    assertEquals(AgentGrade.AVAILABLE, grade(new Agent(true, null, 50, 50, 0, 0, secondsAgo(1), secondsAgo(1))));
  }

  @Test
  void aQueueThatGrewSinceTheLastMeasurementMakesItBusy() {
    assertEquals(AgentGrade.BUSY, grade(new Agent(true, null, 0, null, 5, 2, secondsAgo(2), null)));
    assertEquals(AgentGrade.AVAILABLE, grade(new Agent(true, null, 0, null, 5, 5, secondsAgo(2), null)),
        "a queue that stays is not growing");
    assertEquals(AgentGrade.AVAILABLE, grade(new Agent(true, null, 0, null, 3, null, secondsAgo(2), null)),
        "the first measurement shows no growth");
  }

  @Test
  void messagesWaitingLongerThanStaleAfterWithoutAnAnswerMakeItStale() {
    Agent waiting = new Agent(true, 2, 1, null, 0, 0, secondsAgo(61), null);
    assertEquals(AgentGrade.STALE, grade(waiting));
    assertEquals(AgentGrade.AVAILABLE, grade(new Agent(true, 2, 1, null, 0, 0, secondsAgo(59), null)),
        "not yet for longer than AGENT_STALE_AFTER");
  }

  @Test
  void anAnswerSinceTheMessagesStartedWaitingKeepsItFromStale() {
    assertEquals(AgentGrade.AVAILABLE, grade(new Agent(true, 2, 1, null, 0, 0, secondsAgo(300), secondsAgo(10))));
    assertEquals(AgentGrade.STALE, grade(new Agent(true, 2, 1, null, 0, 0, secondsAgo(300), secondsAgo(120))));
  }

  @Test
  void messagesReadyInItsQueueCountAsWaiting() {
    assertEquals(AgentGrade.STALE, grade(new Agent(true, null, 0, null, 4, 4, secondsAgo(90), null)));
  }

  @Test
  void theClockDecides() {
    Agent waiting = new Agent(true, 2, 1, null, 0, 0, clock.now().toEpochMilli(), null);
    assertEquals(AgentGrade.AVAILABLE, grade(waiting));
    clock.advance(Duration.ofSeconds(61));
    assertEquals(AgentGrade.STALE, grade(waiting));
  }

  @Test
  void staleComesBeforeBusy() {
    assertEquals(AgentGrade.STALE, grade(new Agent(true, 1, 3, null, 6, 2, secondsAgo(120), null)));
  }
}
