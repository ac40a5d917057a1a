package io.agenthub.presence;

import io.agenthub.protocol.Fields;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
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
  private boolean forgetting;

  OfflineForgetting(PresenceStore store, AgentDirectory directory, Replication replication) {
    this.store = store;
    this.directory = directory;
    this.replication = replication;
  }

  void sweep(PresenceSettings settings) {
    if (forgetting) {
      return;
    }
    LocalDateTime seenBefore = LocalDateTime.now(ZoneOffset.UTC).minus(settings.offlineAgentRetention());
    List<JsonObject> candidates =
        OfflineRetention.toForget(directory.records(), seenBefore, settings.maxOfflineAgents());
    if (candidates.isEmpty()) {
      return;
    }
    forgetting = true;
    List<Future<JsonObject>> attempts = candidates.stream().limit(FORGET_BATCH)
        .map(record -> forgetAgent(record.getString(Fields.AGENT_ID), AgentDirectory.revisionOf(record)))
        .toList();
    Future.join(attempts).onComplete(done -> {
      forgetting = false;
      JsonArray forgotten = new JsonArray();
      attempts.stream().filter(Future::succeeded).map(Future::result).filter(Objects::nonNull).forEach(forgotten::add);
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
   * finds it gone and gets a fresh one. Yields {@code {"agent_id", "revision"}} when this instance forgot it, null
   * when the agent came back or another instance was first.
   */
  private Future<JsonObject> forgetAgent(String agentId, long revision) {
    return store.agent(agentId).compose(record -> {
      if (record == null) {
        directory.forget(agentId, revision);
        return Future.succeededFuture(null);
      }
      if (AgentRecords.onlineOrConnected(record) || AgentDirectory.revisionOf(record) != revision) {
        return Future.succeededFuture(null);
      }
      return store.ownerOf(agentId)
          .compose(owner -> owner == null ? Future.succeededFuture(true) : store.releaseIdHeldBy(agentId, owner))
          .compose(released -> released ? store.removeAgent(record) : Future.succeededFuture(false))
          .map(removed -> removed
              ? new JsonObject().put(Fields.AGENT_ID, agentId).put(AgentDirectory.REVISION, revision)
              : null);
    });
  }
}
