package io.agenthub.presence;

import io.agenthub.bus.Addresses;
import io.agenthub.protocol.ClientRole;
import io.agenthub.protocol.Fields;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Comparator;
import java.util.List;

/**
 * The answer to {@link Addresses#PRESENCE_SNAPSHOT}: every agent and broker of the deployment as the shared store holds
 * them, with the instance holding each socket. Read from the store rather than the agent directory because only the
 * store has brokers and node ids.
 */
final class PresenceSnapshot {
  private PresenceSnapshot() {
  }

  static Future<JsonObject> of(PresenceStore store) {
    Future<List<JsonObject>> agents = store.agents();
    Future<List<JsonObject>> brokers = store.brokers();
    return Future.all(agents, brokers).map(done -> new JsonObject()
        .put("agents", forStatus(agents.result(), ClientRole.AGENT))
        .put("brokers", forStatus(brokers.result(), ClientRole.BROKER)));
  }

  /** Presence's own bookkeeping (revision, socket state) stays out; the list is in name order, then id. */
  private static JsonArray forStatus(List<JsonObject> records, ClientRole role) {
    JsonArray list = new JsonArray();
    records.stream()
        .sorted(Comparator.comparing((JsonObject r) -> String.valueOf(r.getString(role.nameField())))
            .thenComparing(r -> String.valueOf(r.getString(role.idField()))))
        .forEach(record -> list.add(new JsonObject()
            .put(role.idField(), record.getString(role.idField()))
            .put(role.nameField(), record.getString(role.nameField()))
            .put(Fields.IS_ONLINE, record.getBoolean(Fields.IS_ONLINE, false))
            .put(Fields.LAST_SEEN, record.getString(Fields.LAST_SEEN))
            .put(AgentRecords.NODE_ID, record.getString(AgentRecords.NODE_ID))));
    return list;
  }
}
