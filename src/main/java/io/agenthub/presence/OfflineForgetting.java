package io.agenthub.presence;

import io.agenthub.clock.HubClock;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forgets the agents {@link OfflineRetention} picks: their records leave the shared store and their ids are
 * released, then every instance's directory drops them. Clients are not sent an update for it; the agents are
 * simply missing from the next full list. Every instance sweeps, and the conditional removals let only one of
 * them forget each agent.
 */
final class OfflineForgetting {
  private static final Logger LOG = LoggerFactory.getLogger(OfflineForgetting.class);
  /** Forgetting is spread over sweeps, so a lowered MAX_OFFLINE_AGENTS never floods the shared store at once. */
  private static final int FORGET_BATCH = 1_000;

  private final PresenceStore store;
  private final AgentDirectory directory;
  private final Replication replication;
  private final HubClock clock;
  private boolean forgetting;

  OfflineForgetting(PresenceStore store, AgentDirectory directory, Replication replication, HubClock clock) {
    this.store = store;
    this.directory = directory;
    this.replication = replication;
    this.clock = clock;
  }

  void sweep(PresenceSettings settings) {
    if (forgetting) {
      return;
    }
    Instant seenBefore = clock.now().minus(settings.offlineAgentRetention());
    List<AgentPresence> candidates =
        OfflineRetention.toForget(directory.records(), seenBefore, settings.maxOfflineAgents());
    if (candidates.isEmpty()) {
      return;
    }
    forgetting = true;
    List<Future<StoredPresence.Forgotten>> attempts = candidates.stream().limit(FORGET_BATCH)
        .map(record -> forgetAgent(record.agentId(), record.revision()))
        .toList();
    Future.join(attempts).onComplete(done -> {
      forgetting = false;
      List<StoredPresence.Forgotten> forgotten = attempts.stream().filter(Future::succeeded).map(Future::result)
          .filter(Objects::nonNull).toList();
      if (!forgotten.isEmpty()) {
        LOG.info("Forgot {} offline agents (offline for more than {} s, or beyond the {} most recently seen)",
            forgotten.size(), settings.offlineAgentRetention().toSeconds(), settings.maxOfflineAgents());
        replication.announceForgotten(forgotten);
      }
      if (done.failed()) {
        LOG.warn("Forgetting offline agents failed for some of them: {}", done.cause().getMessage());
      }
    });
  }

  /**
   * Removes one offline agent's record and releases its id, each only if unchanged since it was read; the id goes
   * first, so an agent resuming it meanwhile either wins the id (and the record removal is harmless or refused) or
   * finds it gone and gets a fresh one. Yields the agent and its revision when this instance forgot it, null when
   * the agent came back or another instance was first.
   */
  private Future<StoredPresence.Forgotten> forgetAgent(String agentId, long revision) {
    return store.agent(agentId).compose(record -> {
      if (record == null) {
        directory.forget(agentId, revision);
        return Future.succeededFuture(null);
      }
      if (record.onlineOrConnected() || record.revision() != revision) {
        return Future.succeededFuture(null);
      }
      return store.ownerOf(agentId)
          .compose(owner -> owner == null ? Future.succeededFuture(true) : store.releaseIdHeldBy(agentId, owner))
          .compose(released -> released ? store.removeAgent(record) : Future.succeededFuture(false))
          .map(removed -> removed ? new StoredPresence.Forgotten(agentId, revision) : null);
    });
  }
}
