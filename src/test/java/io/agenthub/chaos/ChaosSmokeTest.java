package io.agenthub.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agenthub.support.ChaosTest;
import io.agenthub.support.CommandOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Every chaos scenario for a few seconds with a few frontends, against real hub JVMs, the real RabbitMQ and (for the
 * restarts) a private RabbitMQ node: the suite must run, inject its fault and account for every message it sent.
 * Asserted beyond that are the targets that hold today in every run, among them no answer twice through an AMQP drop
 * or a RabbitMQ restart with resuming clients (the hub's delivery keys, the reference agent's memory of them); the
 * others (silent loss in a cluster, recovery within 1 s) are measured by the full runs in RELIABILITY.md ("Faults and
 * failovers"), not asserted here.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ChaosTest
class ChaosSmokeTest {
  private static final List<String> SHORT = List.of("--frontends", "2", "--agents", "2", "--warmup", "0.5",
      "--duration", "2", "--after-fault", "0.5", "--drain", "4", "--recovery-cap", "30");

  private static final List<String> STREAMS = List.of("--frontends", "2", "--agents", "1", "--warmup", "1",
      "--duration", "4", "--words", "10", "--drain", "20");

  /** One private RabbitMQ node for both restart scenarios, each on a vhost of its own: it boots once. */
  private PrivateRabbit rabbit;

  @BeforeAll
  void startPrivateRabbit() throws Exception {
    rabbit = PrivateRabbit.start(
        Files.createDirectories(Path.of("target", "chaos", "smoke-" + System.currentTimeMillis())));
  }

  @AfterAll
  void stopPrivateRabbit() throws Exception {
    rabbit.close();
  }

  @Test
  void amqpDropLosesNothingAndAnswersNothingTwice() throws Exception {
    JsonObject summary = run("amqp-drop", "--cuts", "1");
    assertEquals(0, summary.getLong("silently_lost"), () -> "silently lost: " + summary.encodePrettily());
    assertEquals(0, summary.getLong("duplicated"),
        () -> "an answer reached its frontend twice: " + summary.encodePrettily());
    assertEquals(0, summary.getLong("sockets_closed_by_hub"), "the drop closes no socket");
    assertNotNull(summary.getJsonArray("recovery_ms").getValue(0), "round trips resumed after the cut");
  }

  @Test
  void rabbitRestartIsAnsweredWithForwardFailedWhileDownAndRoundTripsComeBack() throws Exception {
    // Frontends give up on a message after 1 s, so that they send while RabbitMQ is down for 2 s.
    JsonObject summary = run("rabbit-restart", "--restart", "app", "--outage", "2", "--timeout-ms", "1000");
    assertTrue(summary.getJsonObject("errors_by_code").getLong("FORWARD_FAILED", 0L) > 0,
        () -> "messages sent while RabbitMQ was down are refused: " + summary.encodePrettily());
    assertEquals(0, summary.getLong("sockets_closed_by_hub"), "the outage closes no socket");
    assertNotNull(summary.getJsonArray("recovery_ms").getValue(0), "round trips came back after RabbitMQ did");
  }

  @Test
  void rabbitRestartWhileResumedClientsMessagesWaitAnswersNothingTwice() throws Exception {
    JsonObject summary = run("rabbit-restart-resume", "--restart", "app", "--outage", "1", "--recovery-cap", "5",
        "--drain", "2");
    assertTrue(summary.getLong("reconnects") > 0, "the frontends stepped away and came back");
    assertEquals(summary.getLong("reconnects"), summary.getLong("resumes_granted") + summary.getLong("resumes_refused"),
        "every return asked to resume");
    assertEquals(0, summary.getLong("duplicated"),
        () -> "an answer reached its frontend twice: " + summary.encodePrettily());
  }

  @Test
  void resumeInFlightIsAccountedFor() throws Exception {
    JsonObject summary = run("resume-in-flight", "--drain", "2");
    assertTrue(summary.getLong("reconnects") > 0, "the frontends stepped away and came back");
    assertEquals(summary.getLong("reconnects"), summary.getLong("resumes_granted") + summary.getLong("resumes_refused"),
        "every return asked to resume");
  }

  @Test
  void killedInstancesFrontendsMoveToASurvivor() throws Exception {
    JsonObject summary = run("kill9", "--frontends", "3");
    assertEquals(1, summary.getLong("moved_frontends"));
    assertTrue(summary.getLong("reconnects") >= 1, "the killed instance's frontend registered on a survivor");
    assertNotNull(summary.getJsonArray("moved_frontends_recovery_ms").getValue(0),
        "the moved frontend completed a round trip on the survivor");
  }

  @Test
  void stoppedInstanceClosesItsFrontendWith1001AndItMovesToASurvivor() throws Exception {
    JsonObject summary = run("sigterm", "--frontends", "3");
    assertTrue(summary.getBoolean("victim_stopped_cleanly"), "the instance stopped cleanly");
    assertEquals(1L, summary.getJsonObject("sockets_closed_by_code").getLong("1001", 0L),
        () -> "the stopped instance closed its frontend's socket with 1001: " + summary.encodePrettily());
    assertNotNull(summary.getJsonArray("moved_frontends_recovery_ms").getValue(0),
        "the moved frontend completed a round trip on the survivor");
  }

  @Test
  void streamsGoOnWholeWhenTheAgentsInstanceIsKilled() throws Exception {
    assertStreamsWhole(ChaosRunner.run("stream-kill9-agent", new CommandOptions(STREAMS)));
  }

  @Test
  void streamsGoOnWholeWhenTheViewersInstanceIsKilled() throws Exception {
    JsonObject summary = ChaosRunner.run("stream-kill9-frontend", new CommandOptions(STREAMS));
    assertStreamsWhole(summary);
    assertTrue(summary.getLong("viewer_reconnects") >= 2, "the viewers moved to a survivor");
  }

  /** Streams answered every question, and each ended complete with every chunk once. */
  private static void assertStreamsWhole(JsonObject summary) {
    assertTrue(summary.getLong("streams") > 0, () -> "no stream: " + summary.encodePrettily());
    assertEquals(0, summary.getLong("lost_chunks"), summary::encodePrettily);
    assertEquals(0, summary.getLong("repeated_chunks"), summary::encodePrettily);
    assertTrue(summary.getBoolean("targets_met"), summary::encodePrettily);
  }

  /** Runs a scenario and checks what every run must show: load, an outcome for every message, no false refusal. */
  private JsonObject run(String scenario, String... extra) throws Exception {
    List<String> args = new ArrayList<>(SHORT);
    args.addAll(List.of(extra));
    JsonObject summary = ChaosRunner.run(scenario, new CommandOptions(args), rabbit);
    assertEquals(scenario, summary.getString("scenario"));
    assertTrue(summary.getLong("sent") > 0, () -> "no message sent: " + summary.encodePrettily());
    long accounted =
        summary.getLong("answered") + summary.getLong("explicit_errors") + summary.getLong("silently_lost");
    assertEquals(summary.getLong("sent"), accounted, "every message is answered, refused or counted lost");
    assertEquals(0, summary.getLong("false_forward_failed"),
        () -> "FORWARD_FAILED for a message that was answered: " + summary.encodePrettily());
    assertTrue(summary.containsKey("targets") && summary.containsKey("recovery_ms"), summary::encodePrettily);
    return summary;
  }
}
