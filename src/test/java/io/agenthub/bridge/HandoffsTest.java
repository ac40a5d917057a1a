package io.agenthub.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agenthub.bus.AgentMeasure;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Protocol extension "live load", the bridge's count: questions handed to agents and not answered, answers that name
 * their question or none, latency, expiry and the bound per agent.
 */
class HandoffsTest {
  private static final String AGENT = "agent_0000abcd";
  private final Handoffs handoffs = new Handoffs();

  @Test
  void aQuestionWaitsUntilTheAgentAnswersItAndTheLatencyIsMeasured() {
    handoffs.handed(AGENT, "m-1", 1_000);
    handoffs.handed(AGENT, "m-2", 1_500);
    AgentMeasure waiting = handoffs.measures(Map.of()).get(AGENT);
    assertEquals(2, waiting.unanswered());
    assertEquals(1_000L, waiting.waitingSince(), "since the oldest was handed");
    assertNull(waiting.lastAnswerAt());

    assertTrue(handoffs.answered(AGENT, "m-2", 1_700));
    AgentMeasure answered = handoffs.measures(Map.of()).get(AGENT);
    assertEquals(1, answered.unanswered());
    assertEquals(1_700L, answered.lastAnswerAt());
    assertEquals(200L, answered.latencyMs());
    assertEquals(1, answered.answers());
    assertEquals(0, handoffs.measures(Map.of()).get(AGENT).answers(), "answers count per measure");
  }

  @Test
  void anAnswerNamingNoQuestionAnswersTheOldest() {
    handoffs.handed(AGENT, "m-1", 1_000);
    handoffs.handed(AGENT, "m-2", 2_000);
    assertTrue(handoffs.answered(AGENT, null, 2_500));
    assertEquals(2_000L, handoffs.measures(Map.of()).get(AGENT).waitingSince(), "m-1 was taken as answered");
  }

  @Test
  void anAnswerToAQuestionAnotherInstanceHandedIsNotMatchedButShowsTheAgentAnswers() {
    assertFalse(handoffs.answered(AGENT, "elsewhere", 3_000));
    assertEquals(3_000L, handoffs.measures(Map.of()).get(AGENT).lastAnswerAt());
  }

  @Test
  void aQuestionAnsweredElsewhereNoLongerWaitsAndItsLatencyIsNotMeasuredHere() {
    handoffs.handed(AGENT, "m-1", 1_000);
    handoffs.forget(AGENT, "m-1");
    AgentMeasure measure = handoffs.measures(Map.of()).get(AGENT);
    assertEquals(0, measure.unanswered());
    assertNull(measure.latencyMs());
  }

  @Test
  void questionsOlderThanTheTtlAreForgottenAndSoAreQuietAgents() {
    handoffs.handed(AGENT, "m-1", 1_000);
    handoffs.handed(AGENT, "m-2", 5_000);
    handoffs.expire(2_000);
    assertEquals(1, handoffs.measures(Map.of()).get(AGENT).unanswered());
    handoffs.answered("agent_0000beef", "x", 1_500);
    handoffs.expire(6_000);
    assertEquals(Map.of(), handoffs.measures(Map.of()));
  }

  @Test
  void anAgentsUnansweredQuestionsAreBounded() {
    for (int i = 0; i <= Handoffs.MAX_PER_AGENT; i++) {
      handoffs.handed(AGENT, "m-" + i, i);
    }
    AgentMeasure measure = handoffs.measures(Map.of()).get(AGENT);
    assertEquals(Handoffs.MAX_PER_AGENT, measure.unanswered());
    assertEquals(1L, measure.waitingSince(), "the oldest went");
  }

  @Test
  void aPolledQueueAddsItsDepthAndSinceWhenItHasHeldMessages() {
    handoffs.handed(AGENT, "m-1", 9_000);
    AgentMeasure measure = handoffs.measures(Map.of(AGENT, new QueueDepths.Depth(4, 7_000L),
        "agent_0000beef", new QueueDepths.Depth(0, null))).get(AGENT);
    assertEquals(4, measure.queueDepth());
    assertEquals(7_000L, measure.waitingSince(), "the queue has held messages for longer");
    assertEquals(0, handoffs.measures(Map.of("agent_0000beef", new QueueDepths.Depth(0, null)))
        .get("agent_0000beef").queueDepth());
  }
}
