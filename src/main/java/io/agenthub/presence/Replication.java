package io.agenthub.presence;

import io.agenthub.bus.Addresses;
import io.agenthub.bus.PresenceChanged;
import io.agenthub.bus.PresenceReplication;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Presence's two publications. Changes this instance decided go to the presence verticle of every instance, this one
 * included ({@link Addresses#PRESENCE_REPLICATION}, records as {@link StoredPresence} writes them); what an instance
 * learns from them, or from the shared store, it merges into its {@link AgentDirectory} and publishes once for its
 * own verticles ({@link Addresses#PRESENCE_CHANGED}).
 */
final class Replication {
  private final EventBus bus;
  private final AgentDirectory directory;
  private final LoadBoard loads;

  Replication(EventBus bus, AgentDirectory directory, LoadBoard loads) {
    this.bus = bus;
    this.directory = directory;
    this.loads = loads;
  }

  /** Agent records whose status this instance just changed, with their new revisions. */
  void announce(List<AgentPresence> changed) {
    bus.publish(Addresses.PRESENCE_REPLICATION,
        new PresenceReplication(StoredPresence.encodeAgents(changed), null).toJson());
  }

  /** Offline agents this instance removed from the shared store. */
  void announceForgotten(List<StoredPresence.Forgotten> forgotten) {
    bus.publish(Addresses.PRESENCE_REPLICATION,
        new PresenceReplication(new JsonArray(), StoredPresence.encodeForgotten(forgotten)).toJson());
  }

  /** Forgotten agents are dropped without a publication: they are simply missing from the next full list. */
  void onReplication(PresenceReplication replication) {
    if (replication.forgotten() != null) {
      StoredPresence.decodeForgotten(replication.forgotten())
          .forEach(agent -> directory.forget(agent.agentId(), agent.revision()));
    }
    merged(StoredPresence.decodeAgents(replication.agents()));
  }

  /**
   * Merges records by revision (a late one never undoes a newer one) and publishes the changes they made, if any. A
   * change of an agent's card alone (protocol extension "agent cards") reaches only the clients that asked for agent
   * details: clients of the contract see no update for it. The details of every other change go to the gateway just
   * ahead of it.
   */
  void merged(List<AgentPresence> records) {
    Map<String, AgentPresence> before = new HashMap<>();
    records.forEach(record -> before.computeIfAbsent(record.agentId(), directory::get));
    List<AgentPresence> changed = directory.mergeAll(records);
    List<AgentPresence> cardsOnly = changed.stream().filter(record -> onlyItsCardChanged(before.get(record.agentId()),
        record)).toList();
    List<AgentPresence> statusChanged = changed.stream().filter(record -> !cardsOnly.contains(record)).toList();
    if (!cardsOnly.isEmpty()) {
      loads.recordsChanged(cardsOnly, true);
    }
    if (!statusChanged.isEmpty()) {
      loads.recordsChanged(statusChanged, false);
      bus.publish(Addresses.PRESENCE_CHANGED,
          new PresenceChanged(directory.forClients(), AgentDirectory.forClients(statusChanged),
              AgentDirectory.streaming(statusChanged)).toJson());
    }
  }

  private static boolean onlyItsCardChanged(AgentPresence before, AgentPresence after) {
    return before != null && before.statusEntry().equals(after.statusEntry())
        && !Objects.equals(before.card(), after.card());
  }
}
