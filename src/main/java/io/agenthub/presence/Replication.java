package io.agenthub.presence;

import io.agenthub.bus.Addresses;
import io.agenthub.bus.PresenceChanged;
import io.agenthub.bus.PresenceReplication;
import io.agenthub.protocol.Fields;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Presence's two publications. Changes this instance decided go to the presence verticle of every instance, this one
 * included ({@link Addresses#PRESENCE_REPLICATION}); what an instance learns from them, or from the shared store, it
 * merges into its {@link AgentDirectory} and publishes once for its own verticles ({@link Addresses#PRESENCE_CHANGED}).
 */
final class Replication {
  private final EventBus bus;
  private final AgentDirectory directory;

  Replication(EventBus bus, AgentDirectory directory) {
    this.bus = bus;
    this.directory = directory;
  }

  /** Agent records whose status this instance just changed, with their new revisions. */
  void announce(List<JsonObject> changed) {
    bus.publish(Addresses.PRESENCE_REPLICATION, new PresenceReplication(new JsonArray(changed), null).toJson());
  }

  /** Offline agents this instance removed from the shared store: {@code [{"agent_id", "revision"}]}. */
  void announceForgotten(JsonArray forgotten) {
    bus.publish(Addresses.PRESENCE_REPLICATION, new PresenceReplication(new JsonArray(), forgotten).toJson());
  }

  /** Forgotten agents are dropped without a publication: they are simply missing from the next full list. */
  void onReplication(PresenceReplication replication) {
    JsonArray forgotten = replication.forgotten() == null ? new JsonArray() : replication.forgotten();
    for (int i = 0; i < forgotten.size(); i++) {
      JsonObject agent = forgotten.getJsonObject(i);
      directory.forget(agent.getString(Fields.AGENT_ID), AgentDirectory.revisionOf(agent));
    }
    merged(replication.agents().stream().map(JsonObject.class::cast).toList());
  }

  /** Merges records by revision (a late one never undoes a newer one) and publishes the changes they made, if any. */
  void merged(List<JsonObject> records) {
    List<JsonObject> changed = directory.mergeAll(records);
    if (!changed.isEmpty()) {
      bus.publish(Addresses.PRESENCE_CHANGED,
          new PresenceChanged(directory.forClients(), AgentDirectory.forClients(changed)).toJson());
    }
  }
}
