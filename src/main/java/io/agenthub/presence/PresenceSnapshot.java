package io.agenthub.presence;

import io.agenthub.bus.Addresses;
import io.agenthub.protocol.ClientRole;
import io.agenthub.protocol.Fields;
import io.agenthub.protocol.Timestamps;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The answer to {@link Addresses#PRESENCE_SNAPSHOT}: every agent and broker of the deployment as the shared store holds
 * them, with the instance holding each socket. Read from the store rather than the agent directory because only the
 * store has brokers and node ids.
 */
final class PresenceSnapshot {
  /** One line of the snapshot, agent or broker alike. */
  private record Row(String id, String name, boolean online, Instant lastSeen, String nodeId) {
  }

  private static final Comparator<Row> BY_NAME_THEN_ID =
      Comparator.comparing((Row row) -> String.valueOf(row.name())).thenComparing(row -> String.valueOf(row.id()));

  private PresenceSnapshot() {
  }

  static Future<JsonObject> of(PresenceStore store) {
    Future<List<AgentPresence>> agents = store.agents();
    Future<List<BrokerPresence>> brokers = store.brokers();
    return Future.all(agents, brokers).map(done -> new JsonObject()
        .put("agents", forStatus(agents.result().stream()
            .map(a -> new Row(a.agentId(), a.name(), a.online(), a.lastSeen(), a.nodeId())), ClientRole.AGENT))
        .put("brokers", forStatus(brokers.result().stream()
            .map(b -> new Row(b.brokerId(), b.name(), b.online(), b.lastSeen(), b.nodeId())), ClientRole.BROKER)));
  }

  /** Presence's own bookkeeping (revision, socket state) stays out; the list is in name order, then id. */
  private static JsonArray forStatus(Stream<Row> rows, ClientRole role) {
    JsonArray list = new JsonArray();
    rows.sorted(BY_NAME_THEN_ID).forEach(row -> list.add(new JsonObject()
        .put(role.idField(), row.id())
        .put(role.nameField(), row.name())
        .put(Fields.IS_ONLINE, row.online())
        .put(Fields.LAST_SEEN, Timestamps.format(row.lastSeen()))
        .put(StoredPresence.NODE_ID, row.nodeId())));
    return list;
  }
}
