package io.agenthub.heartbeat;

import io.agenthub.bus.Addresses;
import io.agenthub.bus.AgentList;
import io.agenthub.bus.AgentsQuery;
import io.agenthub.bus.HeartbeatTick;
import io.agenthub.config.HubConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the hub's clocks: time to PING agents, to send SERVER_HEARTBEATs, to send the periodic full agent status, and
 * to sweep for inactive agents. It builds no frame and touches no socket: it publishes each tick on this instance's
 * {@link Addresses#HEARTBEAT_TICK} for its gateway and asks presence to sweep. Timers are rescheduled when their
 * intervals change in the configuration.
 */
public final class HeartbeatVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(HeartbeatVerticle.class);

  private HeartbeatSettings settings;
  private final List<Long> timers = new ArrayList<>();

  @Override
  public Future<?> start() {
    settings = HeartbeatSettings.of(HubConfig.fromJson(config()));
    vertx.eventBus().<JsonObject>localConsumer(Addresses.CONFIG_CHANGED,
        msg -> onConfigChanged(HeartbeatSettings.of(HubConfig.fromJson(msg.body()))));
    scheduleTimers();
    return Future.succeededFuture();
  }

  private void onConfigChanged(HeartbeatSettings next) {
    if (next.equals(settings)) {
      return;
    }
    settings = next;
    timers.forEach(vertx::cancelTimer);
    timers.clear();
    scheduleTimers();
    LOG.info("Timers rescheduled: ping {} s, heartbeat {} s, status {} s, inactivity timeout {} s",
        seconds(settings.agentPingInterval()), seconds(settings.serverHeartbeatInterval()),
        seconds(settings.periodicStatusInterval()), seconds(settings.agentInactivityTimeout()));
  }

  private void scheduleTimers() {
    every(settings.agentPingInterval(), () -> tick(HeartbeatTick.AGENT_PING, null));
    every(settings.serverHeartbeatInterval(), () -> tick(HeartbeatTick.SERVER_HEARTBEAT, null));
    every(settings.periodicStatusInterval(), this::periodicStatus);
    every(settings.sweepInterval(), () -> vertx.eventBus().send(Addresses.PRESENCE_SWEEP, new JsonObject()));
  }

  private void every(Duration interval, Runnable task) {
    timers.add(vertx.setPeriodic(Math.max(1, interval.toMillis()), id -> task.run()));
  }

  /** The list is refreshed from the shared store first, in case a presence replication was lost. */
  private void periodicStatus() {
    vertx.eventBus().<JsonObject>request(Addresses.PRESENCE_AGENTS, new AgentsQuery(true).toJson())
        .onSuccess(reply -> tick(HeartbeatTick.AGENT_STATUS, AgentList.fromJson(reply.body()).agents()))
        .onFailure(e -> LOG.warn("Periodic agent status skipped: {}", e.getMessage()));
  }

  /** Node-local: each instance's timers reach only its own sockets, so a client gets one of each. */
  private void tick(String timer, JsonArray agents) {
    vertx.eventBus().publish(Addresses.HEARTBEAT_TICK, new HeartbeatTick(timer, agents).toJson());
  }

  private static double seconds(Duration duration) {
    return duration.toMillis() / 1000.0;
  }
}
