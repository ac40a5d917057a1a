package io.agenthub.bus;

import io.agenthub.protocol.ClientRole;
import io.vertx.core.json.JsonObject;

/** Sent on {@link Addresses#PRESENCE_DISCONNECTED}: the socket of a registered client closed. */
public record ClientDisconnected(String clientId, ClientRole role) {

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("client_id", clientId)
        .put("role", role.connectionType());
    return json;
  }

  public static ClientDisconnected fromJson(JsonObject json) {
    return new ClientDisconnected(
        json.getString("client_id"),
        ClientRole.forConnectionType(json.getString("role")).orElseThrow());
  }
}
