package io.agenthub.bus;

import io.agenthub.protocol.ClientRole;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Sent on {@link Addresses#PRESENCE_DISCONNECTED}: the socket of a registered client closed. {@code recentKeys} are
 * the delivery keys of the last frames from {@code broker_output_queue} written to it, oldest first (protocol
 * extension "session resume": a resumed session starts its duplicate guard from them); empty for agents.
 */
public record ClientDisconnected(String clientId, ClientRole role, List<String> recentKeys) {

  public ClientDisconnected {
    recentKeys = List.copyOf(recentKeys);
  }

  public ClientDisconnected(String clientId, ClientRole role) {
    this(clientId, role, List.of());
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("client_id", clientId)
        .put("role", role.connectionType());
    if (!recentKeys.isEmpty()) {
      json.put("recent_keys", new JsonArray(recentKeys));
    }
    return json;
  }

  public static ClientDisconnected fromJson(JsonObject json) {
    return new ClientDisconnected(
        json.getString("client_id"),
        ClientRole.forConnectionType(json.getString("role")).orElseThrow(),
        keys(json.getJsonArray("recent_keys")));
  }

  private static List<String> keys(JsonArray keys) {
    return keys == null ? List.of() : keys.stream().map(String.class::cast).toList();
  }
}
