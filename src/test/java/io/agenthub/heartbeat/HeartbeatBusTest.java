package io.agenthub.heartbeat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agenthub.bus.Addresses;
import io.agenthub.bus.AgentList;
import io.agenthub.bus.AgentsQuery;
import io.agenthub.bus.HeartbeatTick;
import io.agenthub.config.Setting;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The heartbeat verticle alone, with tiny intervals and presence stubbed: what it publishes and sends. */
@ExtendWith(VertxExtension.class)
class HeartbeatBusTest {
  private static final JsonArray AGENTS = new JsonArray().add(new JsonObject().put("agent_id", "agent_1a2b3c4d")
      .put("agent_name", "Echo").put("is_online", true).put("last_seen", "2026-12-01T12:00:00"));

  @Test
  void everyTimerTicksAndPresenceIsToldToSweep(Vertx vertx, VertxTestContext test) {
    Map<String, Checkpoint> ticks = Map.of(
        HeartbeatTick.AGENT_PING, test.checkpoint(),
        HeartbeatTick.SERVER_HEARTBEAT, test.checkpoint(),
        HeartbeatTick.AGENT_STATUS, test.checkpoint());
    Checkpoint swept = test.checkpoint();
    Set<String> seen = new HashSet<>();
    vertx.eventBus().<JsonObject>localConsumer(Addresses.PRESENCE_AGENTS, msg -> {
      test.verify(() -> assertTrue(AgentsQuery.fromJson(msg.body()).refresh(), "the periodic list is refreshed"));
      msg.reply(new AgentList(AGENTS).toJson());
    });
    vertx.eventBus().<JsonObject>localConsumer(Addresses.HEARTBEAT_TICK, msg -> {
      HeartbeatTick tick = HeartbeatTick.fromJson(msg.body());
      test.verify(() -> {
        assertTrue(ticks.containsKey(tick.timer()), tick.timer());
        if (tick.timer().equals(HeartbeatTick.AGENT_STATUS)) {
          assertEquals(AGENTS, tick.agents());
        } else {
          assertNull(tick.agents(), "only the status tick carries agents");
        }
      });
      if (seen.add(tick.timer())) {
        ticks.get(tick.timer()).flag();
      }
    });
    vertx.eventBus().<JsonObject>localConsumer(Addresses.PRESENCE_SWEEP, msg -> {
      if (seen.add("sweep")) {
        swept.flag();
      }
    });
    JsonObject config = Setting.defaults().put("AGENT_PING_INTERVAL", 0.05).put("SERVER_HEARTBEAT_INTERVAL", 0.05)
        .put("PERIODIC_STATUS_INTERVAL", 0.05).put("AGENT_INACTIVITY_TIMEOUT", 0.2);
    vertx.deployVerticle(new HeartbeatVerticle(), new DeploymentOptions().setConfig(config))
        .onComplete(test.succeeding(id -> { }));
  }

  /** Deployed with timers of an hour, it ticks within milliseconds once the configuration shortens them. */
  @Test
  void timersAreRescheduledWhenTheirIntervalsChange(Vertx vertx, VertxTestContext test) {
    Checkpoint pinged = test.checkpoint();
    Set<String> seen = new HashSet<>();
    vertx.eventBus().<JsonObject>localConsumer(Addresses.HEARTBEAT_TICK, msg -> {
      if (HeartbeatTick.fromJson(msg.body()).timer().equals(HeartbeatTick.AGENT_PING) && seen.add("ping")) {
        pinged.flag();
      }
    });
    JsonObject hourly = Setting.defaults().put("AGENT_PING_INTERVAL", 3600).put("SERVER_HEARTBEAT_INTERVAL", 3600)
        .put("PERIODIC_STATUS_INTERVAL", 3600).put("AGENT_INACTIVITY_TIMEOUT", 3600);
    vertx.deployVerticle(new HeartbeatVerticle(), new DeploymentOptions().setConfig(hourly))
        .onComplete(test.succeeding(id -> vertx.eventBus().publish(Addresses.CONFIG_CHANGED,
            hourly.copy().put("AGENT_PING_INTERVAL", 0.05))));
  }
}
