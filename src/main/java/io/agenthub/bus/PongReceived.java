package io.agenthub.bus;

import io.agenthub.protocol.ClientRole;
import io.vertx.core.json.JsonObject;

/**
 * Sent on {@link Addresses#PRESENCE_PONG}: a PONG arrived from an agent or broker; {@code load}, the figures an agent
 * added to it as the gateway checked them (protocol extension "live load"), or null.
 */
public record PongReceived(String clientId, ClientRole role, JsonObject load) {

  /** A PONG without figures. */
  public PongReceived(String clientId, ClientRole role) {
    this(clientId, role, null);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("client_id", clientId)
        .put("role", role.connectionType());
    if (load != null) {
      json.put("load", load);
    }
    return json;
  }

  public static PongReceived fromJson(JsonObject json) {
    return new PongReceived(
        json.getString("client_id"),
        ClientRole.forConnectionType(json.getString("role")).orElseThrow(),
        json.getJsonObject("load"));
  }
}
