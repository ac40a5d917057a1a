package io.agenthub.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agenthub.support.BenchSmokeTest;
import io.agenthub.support.CommandOptions;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every load-generator scenario, a few seconds each with a handful of clients, against a real hub child JVM and
 * RabbitMQ: the generator must complete with zero errors, timeouts and blocked-event-loop warnings. The full runs
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
        "--hub-settings", new JsonObject().put("SERVER_HEARTBEAT_INTERVAL", 1).put("AGENT_PING_INTERVAL", 1)
            .put("AGENT_INACTIVITY_TIMEOUT", 2).encode()));

    List<JsonObject> summaries = LoadGenerator.run(
        List.of("legacy", "round-trip", "amqp-floor", "connections", "handshake-floor", "fan-out-floor",
            "presence-churn", "agent-routing"), tiny, line -> { });

    List<String> scenarios = summaries.stream().map(line -> line.getString("scenario")).toList();
    assertEquals(List.of("legacy-amqp-floor", "legacy", "amqp-floor", "round-trip", "amqp-floor", "connections",
        "handshake-floor", "fan-out-floor", "presence-churn", "agent-routing", "agent-routing", "agent-routing",
        "agent-routing"), scenarios);
    for (JsonObject summary : summaries) {
      assertTrue(summary.getBoolean("ok"), () -> "not clean: " + summary.encodePrettily());
    }
    JsonObject legacy = summaries.get(1);
    assertTrue(legacy.getLong("round_trips") > 0, "no legacy round trip through the hub completed");
    // Monitoring copies: every frontend also sees the others' messages, so frames outnumber round trips.
    assertTrue(legacy.getLong("frames_delivered_per_s") > legacy.getDouble("round_trips_per_s"),
        () -> "no monitoring copies reached the frontends: " + legacy.encode());
    JsonObject roundTrip = summaries.get(3);
    assertTrue(roundTrip.getLong("round_trips") > 0, "no round trip through the hub completed");
    assertEquals(200, summaries.get(6).getLong("registered"), "every handshake-floor client registered");
    assertTrue(summaries.get(7).getLong("round_trips") > 0, "no fan-out-floor round trip completed");
    JsonObject churn = summaries.get(8);
    assertEquals(churn.getLong("changes_made"), churn.getLong("changes_seen_by_all"), "a presence change went unseen");
    for (JsonObject routing : summaries.subList(9, 13)) {
      assertTrue(routing.getLong("round_trips") > 0, () -> "no round trip routed: " + routing.encode());
      assertTrue(routing.getJsonObject("status_bytes_per_s").getLong("details_frontend")
          >= routing.getJsonObject("status_bytes_per_s").getLong("contract_frontend"), routing::encode);
    }
  }
}
