package io.agenthub.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agenthub.config.Setting;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/**
 * The connections scenario's warm-up clients stay registered past REGISTRATION_CHURN_WINDOW before they close: closed
 * sooner, ten thousand of them put the bench's source addresses in debt with the hub's admission, and the measured
 * agents then waited seconds for their turn inside the measured window (100 hinted retries in a run of 19,500).
 */
class WarmupHoldTest {
  @Test
  void warmUpClientsOutliveTheDefaultChurnWindow() {
    double window = Double.parseDouble(
        String.valueOf(Setting.defaults().getValue(Setting.REGISTRATION_CHURN_WINDOW.name())));
    assertTrue(ConnectionsScenario.warmupHoldSeconds(new JsonObject()) > window);
  }

  @Test
  void aChurnWindowSetForTheHubIsOutlivedToo() {
    JsonObject settings = new JsonObject().put(Setting.REGISTRATION_CHURN_WINDOW.name(), 12);
    assertTrue(ConnectionsScenario.warmupHoldSeconds(settings) > 12);
  }
}
