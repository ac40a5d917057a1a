package io.agenthub.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agenthub.support.BenchSmokeTest;
import io.agenthub.support.CommandOptions;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every load-generator scenario, a few seconds each with a handful of clients, against a real hub child JVM on its
 * default configuration and RabbitMQ: the generator must complete with zero errors, timeouts and blocked-event-loop
 * warnings, every client of the reconnect storm must come back to the hub started again from the jar after a
 * SIGKILL, and every streamed reply must reach its frontend whole, no chunk lost or repeated. The full runs
 * (BENCHMARKS.md) stay out of CI.
 */
@BenchSmokeTest
class LoadGeneratorSmokeTest {

  @Test
  void everyScenarioCompletesWithoutErrors() throws Exception {
    CommandOptions tiny = new CommandOptions(List.of(
        "--frontends", "2", "--agents", "2", "--warmup", "0.3", "--duration", "1", "--jit-warmup", "0",
        "--connections", "200", "--warmup-connections", "50", "--hold", "2.5", "--rate", "20",
        "--routing-frontends", "2", "--work-ms", "5", "--words", "3",
        "--storm-frontends", "40", "--give-up-after", "60",
        "--streams", "4", "--stream-agents", "2", "--open-over", "0.5", "--stream-tokens", "80",
        "--hub-settings", new JsonObject().put("SERVER_HEARTBEAT_INTERVAL", 1).put("AGENT_PING_INTERVAL", 1)
            .put("AGENT_INACTIVITY_TIMEOUT", 2).encode()));

    List<JsonObject> summaries = LoadGenerator.run(
        List.of("legacy", "connections", "presence-churn", "agent-routing", "round-trip", "amqp-floor",
            "handshake-floor", "fan-out-floor", "reconnect-storm", "streams"), tiny, line -> { });

    List<String> scenarios = summaries.stream().map(line -> line.getString("scenario")).toList();
    assertEquals(List.of("legacy-amqp-floor", "legacy", "connections", "presence-churn", "agent-routing",
        "agent-routing", "agent-routing", "agent-routing", "amqp-floor", "round-trip", "amqp-floor", "handshake-floor",
        "fan-out-floor", "reconnect-storm", "streams-floor", "streams"), scenarios);
    for (JsonObject summary : summaries) {
      assertTrue(summary.getBoolean("ok"), () -> "not clean: " + summary.encodePrettily());
    }
    JsonObject legacy = summaries.get(1);
    assertTrue(legacy.getLong("round_trips") > 0, "no legacy round trip through the hub completed");
    // Monitoring copies: every frontend also sees the others' messages, so frames outnumber round trips.
    assertTrue(legacy.getLong("frames_delivered_per_s") > legacy.getDouble("round_trips_per_s"),
        () -> "no monitoring copies reached the frontends: " + legacy.encode());
    JsonObject churn = summaries.get(3);
    assertEquals(churn.getLong("changes_made"), churn.getLong("changes_seen_by_all"), "a presence change went unseen");
    for (JsonObject routing : summaries.subList(4, 8)) {
      assertTrue(routing.getLong("round_trips") > 0, () -> "no round trip routed: " + routing.encode());
      assertTrue(routing.getJsonObject("status_bytes_per_s").getLong("details_frontend")
          >= routing.getJsonObject("status_bytes_per_s").getLong("contract_frontend"), routing::encode);
    }
    JsonObject roundTrip = summaries.get(9);
    assertTrue(roundTrip.getLong("round_trips") > 0, "no round trip through the hub completed");
    assertEquals(200, summaries.get(11).getLong("registered"), "every handshake-floor client registered");
    assertTrue(summaries.get(12).getLong("round_trips") > 0, "no fan-out-floor round trip completed");
    JsonObject storm = summaries.get(13);
    assertEquals(40, storm.getLong("registered_again"), () -> "not every client came back: " + storm.encode());
    assertEquals(0, storm.getLong("given_up"));
    for (JsonObject streams : summaries.subList(14, 16)) {
      // Every stream read whole by its opted-in frontend, and the legacy frontend's REPLY whole: errors counts lost,
      // repeated and mismatched chunks, and streams that did not finish.
      assertEquals(4, streams.getLong("streams_checked"), streams::encode);
      assertEquals(1, streams.getLong("legacy_replies_checked"), streams::encode);
      assertEquals(0, streams.getLong("lost_chunks") + streams.getLong("repeated_chunks"), streams::encode);
      assertTrue(streams.getLong("chunks_delivered_per_s") > 0, streams::encode);
    }
  }
}
