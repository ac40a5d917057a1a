package io.agenthub.presence;

import io.agenthub.config.HubConfig;
import io.agenthub.config.Setting;
import java.time.Duration;

/** What presence reads of the configuration. */
public record PresenceSettings(Duration agentInactivityTimeout, Duration offlineAgentRetention, int maxOfflineAgents,
    Duration clientResumeWindow, Duration agentLoadInterval, Duration agentStaleAfter) {

  public static PresenceSettings of(HubConfig config) {
    return new PresenceSettings(
        config.duration(Setting.AGENT_INACTIVITY_TIMEOUT),
        config.duration(Setting.OFFLINE_AGENT_RETENTION),
        config.integer(Setting.MAX_OFFLINE_AGENTS),
        config.duration(Setting.CLIENT_RESUME_WINDOW),
        config.duration(Setting.AGENT_LOAD_INTERVAL),
        config.duration(Setting.AGENT_STALE_AFTER));
  }
}
