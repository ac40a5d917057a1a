package io.agenthub.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.agenthub.bus.AgentMeasure;
import io.agenthub.bus.LoadMeasures;
import io.agenthub.protocol.LoadFigures;
import io.agenthub.protocol.ReportedLoad;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Protocol extension "live load" in a cluster: each instance's report of what it measured, summed into one load per
 * agent, so every instance grades from the same figures.
 */
class SummedLoadTest {
  private static final String AGENT = "agent_0000abcd";

  @Test
  void countsAddUpTheOldestWaitAndTheLatestAnswerCountAndLatenciesAreWeighedByAnswers() {
    LoadMeasures holder = report(new AgentMeasure(7, 2, 5_000L, 9_000L, 100L, 3,
        new JsonObject().put("tasks_in_progress", 2)));
    LoadMeasures other = report(new AgentMeasure(null, 3, 4_000L, 8_000L, 300L, 1, null));

    SummedLoad summed = SummedLoad.of(List.of(holder, other)).get(AGENT);

    assertEquals(7, summed.queueDepth(), "only the instance holding the socket polls the queue");
    assertEquals(5, summed.unanswered());
    assertEquals(4_000L, summed.waitingSince());
    assertEquals(9_000L, summed.lastAnswerAt());
    assertEquals(150L, summed.latencyMs(), "(3 × 100 + 1 × 300) / 4");
    assertEquals(new LoadFigures(7, 5, 150L, new ReportedLoad(2, null)), summed.figures());
  }

  @Test
  void anAgentNoReportNamesIsNotInTheSums() {
    assertEquals(Map.of(), SummedLoad.of(List.of(new LoadMeasures(Map.of(), List.of()))));
    SummedLoad quiet = SummedLoad.of(List.of(report(new AgentMeasure(null, 0, null, null, null, 0, null))))
        .get(AGENT);
    assertNull(quiet.latencyMs());
    assertNull(quiet.queueDepth());
  }

  private static LoadMeasures report(AgentMeasure measure) {
    return new LoadMeasures(Map.of(AGENT, measure), List.of());
  }
}
