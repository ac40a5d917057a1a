package io.agenthub.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.agenthub.bus.AgentMeasure;
import io.agenthub.bus.AnswerSeen;
import io.agenthub.bus.LoadMeasures;
import io.agenthub.support.ManualClock;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Protocol extension "live load", what the bridge sees pass: a TEXT handed to an agent is a question from before its
 * publish (RabbitMQ may deliver it, and the agent answer, before the confirm), an agent's REPLY or ERROR its answer,
 * and an answer to a question this instance did not hand is reported for the others.
 */
class AgentWorkloadTest {
  private static final String AGENT = "agent_0000abcd";
  private final ManualClock clock = new ManualClock();
  private final AgentWorkload workload = new AgentWorkload(null, clock, () -> null);

  @Test
  void anAnswerThatOvertakesThePublishersConfirmStillAnswersItsQuestion() {
    Promise<Void> confirm = Promise.promise();
    Future<Void> published = workload.handing(AGENT, question("m-1"), confirm::future);
    clock.advance(Duration.ofMillis(40));
    workload.observe(answer("m-1"));
    confirm.complete();

    assertEquals(true, published.succeeded());
    LoadMeasures measured = workload.measured(Map.of());
    AgentMeasure agent = measured.agents().get(AGENT);
    assertEquals(0, agent.unanswered());
    assertEquals(40L, agent.latencyMs());
    assertEquals(List.of(), measured.unmatched());
  }

  @Test
  void aQuestionWhosePublishFailedIsNotWaitedFor() {
    workload.handing(AGENT, question("m-1"), () -> Future.failedFuture("RabbitMQ went away"));
    assertEquals(0, workload.measured(Map.of()).agents().get(AGENT).unanswered());
  }

  @Test
  void onlyTextsAreQuestionsAndOnlyAnAgentsRepliesAndErrorsAreAnswers() {
    workload.handing(AGENT, question("m-1").put("message_type", "REPLY"), Future::succeededFuture);
    workload.handing(AGENT, question("m-2"), Future::succeededFuture);
    workload.observe(answer("m-2").put("sender_id", "web_0000abcd"));
    workload.observe(answer("m-2").put("message_type", "TEXT"));
    AgentMeasure agent = workload.measured(Map.of()).agents().get(AGENT);
    assertEquals(1, agent.unanswered(), "the REPLY handed is no question, and neither answer counts");
  }

  @Test
  void anAnswerToAQuestionAnotherInstanceHandedIsReportedOnce() {
    workload.observe(answer("elsewhere"));
    assertEquals(List.of(new AnswerSeen(AGENT, "elsewhere")), workload.measured(Map.of()).unmatched());
    assertEquals(List.of(), workload.measured(Map.of()).unmatched());
  }

  @Test
  void anAnswerForwardedFromTheAgentsSocketCountsOnlyWhenItNamesItsQuestion() {
    workload.handing(AGENT, question("m-1"), Future::succeededFuture);
    workload.handing(AGENT, question("m-2"), Future::succeededFuture);
    workload.observeForwarded(answer(null).put("_connection_type", "agent").encode());
    assertEquals(2, workload.measured(Map.of()).agents().get(AGENT).unanswered(),
        "left to its passage through broker_output_queue");
    workload.observeForwarded(answer("m-2").put("_connection_type", "agent").encode());
    assertEquals(1, workload.measured(Map.of()).agents().get(AGENT).unanswered());
    assertNotNull(workload.measured(Map.of()).agents().get(AGENT).lastAnswerAt());
  }

  private static JsonObject question(String id) {
    return new JsonObject().put("message_type", "TEXT").put("message_id", id).put("sender_id", "web_0000abcd")
        .put("receiver_id", AGENT).put("text_payload", "hi");
  }

  private static JsonObject answer(String inReplyTo) {
    JsonObject reply = new JsonObject().put("message_type", "REPLY").put("message_id", "r")
        .put("sender_id", AGENT).put("receiver_id", "web_0000abcd").put("text_payload", "Echo: hi");
    return inReplyTo == null ? reply : reply.put("in_reply_to_message_id", inReplyTo);
  }
}
