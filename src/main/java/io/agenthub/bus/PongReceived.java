package io.agenthub.bus;

import io.agenthub.protocol.ClientRole;
import io.vertx.core.json.JsonObject;

/** Sent on {@link Addresses#PRESENCE_PONG}: a PONG arrived from an agent or broker. */
public record PongReceived(String clientId, ClientRole role) {

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("client_id", clientId)
        .put("role", role.connectionType());
    return json;
  }

  public static PongReceived fromJson(JsonObject json) {
    return new PongReceived(
        json.getString("client_id"),
        ClientRole.forConnectionType(json.getString("role")).orElseThrow());
  }
}
