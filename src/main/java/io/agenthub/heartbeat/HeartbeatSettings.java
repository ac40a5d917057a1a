package io.agenthub.heartbeat;

import io.agenthub.config.HubConfig;
import io.agenthub.config.Setting;
import java.time.Duration;

/** What the heartbeat verticle reads of the configuration: the intervals of its timers. */
public record HeartbeatSettings(Duration agentPingInterval, Duration serverHeartbeatInterval,
    Duration periodicStatusInterval, Duration agentInactivityTimeout) {

  public static HeartbeatSettings of(HubConfig config) {
    return new HeartbeatSettings(
        config.duration(Setting.AGENT_PING_INTERVAL),
        config.duration(Setting.SERVER_HEARTBEAT_INTERVAL),
        config.duration(Setting.PERIODIC_STATUS_INTERVAL),
        config.duration(Setting.AGENT_INACTIVITY_TIMEOUT));
  }

  /** A quarter of the inactivity timeout, so an agent goes offline at most 25 % after its timeout expired. */
  Duration sweepInterval() {
    Duration quarter = agentInactivityTimeout.dividedBy(4);
    return quarter.compareTo(Duration.ofMillis(10)) < 0 ? Duration.ofMillis(10) : quarter;
  }
}
