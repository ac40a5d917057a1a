package io.agenthub.console;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.agenthub.metrics.HubMetrics;
import io.agenthub.protocol.ClientRole;
import io.agenthub.protocol.ErrorCode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** The counters {@code /api/status} reports, read from a registry the way the console sums them. */
class CounterTotalsTest {

  @Test
  void eachCounterHasItsTotalAndItsSplit() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    HubMetrics.forwarded(registry, ClientRole.FRONTEND);
    HubMetrics.forwarded(registry, ClientRole.FRONTEND);
    HubMetrics.forwarded(registry, ClientRole.AGENT);
    HubMetrics.deadLettered(registry, "no_receiver");
    HubMetrics.frameRefused(registry, ErrorCode.RATE_LIMITED);

    JsonObject totals = HubMetrics.totals(registry);
    assertEquals(3L, totals.getLong("messages_forwarded_total"));
    assertEquals(new JsonObject().put("frontend", 2L).put("agent", 1L),
        totals.getJsonObject("messages_forwarded_by_role"));
    assertEquals(1L, totals.getLong("messages_dead_lettered_total"));
    assertEquals(new JsonObject().put("no_receiver", 1L), totals.getJsonObject("messages_dead_lettered_by_reason"));
    assertEquals(new JsonObject().put("RATE_LIMITED", 1L), totals.getJsonObject("errors_sent_by_code"));
  }

  @Test
  void countersNothingIncrementedYetAreZero() {
    JsonObject totals = HubMetrics.totals(new SimpleMeterRegistry());
    assertEquals(0L, totals.getLong("messages_routed_total"));
    assertEquals(new JsonObject(), totals.getJsonObject("messages_routed_by_route"));
    assertEquals(0L, totals.getLong("errors_sent_total"));
  }
}
