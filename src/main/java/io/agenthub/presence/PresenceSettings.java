package io.agenthub.presence;

import io.agenthub.config.HubConfig;
import java.time.Duration;

/** What presence reads of the configuration. */
public record PresenceSettings(Duration agentInactivityTimeout, Duration offlineAgentRetention, int maxOfflineAgents,
    Duration clientResumeWindow) {

  public static PresenceSettings of(HubConfig config) {
    return new PresenceSettings(config.agentInactivityTimeout(), config.offlineAgentRetention(),
        config.maxOfflineAgents(), config.clientResumeWindow());
  }
}
