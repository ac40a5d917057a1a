package io.agenthub.heartbeat;

import io.agenthub.bus.Addresses;
import io.agenthub.bus.AgentList;
import io.agenthub.bus.AgentsQuery;
import io.agenthub.bus.HeartbeatTick;
import io.agenthub.config.HubConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the hub's clocks: PING to agents, SERVER_HEARTBEAT to everyone, the periodic full AGENT_STATUS_UPDATE, and the
 * inactivity sweep. It never touches a socket; it asks this instance's gateway to send and presence to sweep.
 * Timers are rescheduled when their interval changes in the configuration.
 */
public final class HeartbeatVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(HeartbeatVerticle.class);

  private HubConfig config;
  private final List<Long> timers = new ArrayList<>();

  @Override
  public Future<?> start() {
    config = HubConfig.fromJson(config());
    vertx.eventBus().<JsonObject>localConsumer(Addresses.CONFIG_CHANGED, msg -> onConfigChanged(HubConfig.fromJson(msg.body())));
    scheduleTimers();
    return Future.succeededFuture();
  }

  private void onConfigChanged(HubConfig newConfig) {
    boolean intervalsChanged = !intervals(newConfig).equals(intervals(config));
    config = newConfig;
    if (intervalsChanged) {
      timers.forEach(vertx::cancelTimer);
      timers.clear();
      scheduleTimers();
      LOG.info("Timers rescheduled: ping {} s, heartbeat {} s, status {} s, inactivity timeout {} s",
          seconds(config.agentPingInterval()), seconds(config.serverHeartbeatInterval()),
          seconds(config.periodicStatusInterval()), seconds(config.agentInactivityTimeout()));
    }
  }

  private static List<Duration> intervals(HubConfig config) {
    return List.of(config.agentPingInterval(), config.serverHeartbeatInterval(), config.periodicStatusInterval(),
        config.agentInactivityTimeout());
  }

  private void scheduleTimers() {
    every(config.agentPingInterval(), this::pingAgents);
    every(config.serverHeartbeatInterval(), this::sendServerHeartbeat);
    every(config.periodicStatusInterval(), this::sendPeriodicStatus);
    every(sweepInterval(), () -> vertx.eventBus().send(Addresses.PRESENCE_SWEEP, new JsonObject()));
  }

  /** A quarter of the timeout, so an agent goes offline at most 25 % after its timeout expired. */
  private Duration sweepInterval() {
    Duration quarter = config.agentInactivityTimeout().dividedBy(4);
    return quarter.compareTo(Duration.ofMillis(10)) < 0 ? Duration.ofMillis(10) : quarter;
  }

  private void every(Duration interval, Runnable task) {
    timers.add(vertx.setPeriodic(Math.max(1, interval.toMillis()), id -> task.run()));
  }

  private void pingAgents() {
    tick(new HeartbeatTick(HeartbeatTick.AGENT_PING, null));
  }

  private void sendServerHeartbeat() {
    tick(new HeartbeatTick(HeartbeatTick.SERVER_HEARTBEAT, null));
  }

  private void sendPeriodicStatus() {
    vertx.eventBus().<JsonObject>request(Addresses.PRESENCE_AGENTS, new AgentsQuery(true).toJson())
        .onSuccess(reply -> tick(new HeartbeatTick(HeartbeatTick.AGENT_STATUS,
            AgentList.fromJson(reply.body()).agents())))
        .onFailure(e -> LOG.warn("Periodic agent status skipped: {}", e.getMessage()));
  }

  /** Node-local: each instance's timers reach only its own sockets, so a client gets one of each. */
  private void tick(HeartbeatTick tick) {
    vertx.eventBus().publish(Addresses.HEARTBEAT_TICK, tick.toJson());
  }

  private static double seconds(Duration duration) {
    return duration.toMillis() / 1000.0;
  }
}
