package io.agenthub.bus;

import io.agenthub.protocol.ClientRole;
import io.vertx.core.json.JsonObject;

/**
 * Request on {@link Addresses#PRESENCE_REGISTER}: reserve an id for a client registering on {@code nodeId}, or give
 * it back its previous {@code resumeId} (nullable); {@code streams}: an agent that registered with
 * {@code "streams": true}; {@code card}: an agent's card as the gateway checked it (protocol extension "agent cards"),
 * or null.
 */
public record RegisterRequest(ClientRole role, String name, String nodeId, String resumeId, boolean streams,
    JsonObject card) {

  /** A client without a card. */
  public RegisterRequest(ClientRole role, String name, String nodeId, String resumeId, boolean streams) {
    this(role, name, nodeId, resumeId, streams, null);
  }

  /** A client that does not stream (protocol extension "streamed replies"). */
  public RegisterRequest(ClientRole role, String name, String nodeId, String resumeId) {
    this(role, name, nodeId, resumeId, false);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("role", role.connectionType())
        .put("name", name)
        .put("node_id", nodeId);
    if (resumeId != null) {
      json.put("resume_id", resumeId);
    }
    if (streams) {
      json.put("streams", true);
    }
    if (card != null) {
      json.put("card", card);
    }
    return json;
  }

  public static RegisterRequest fromJson(JsonObject json) {
    return new RegisterRequest(
        ClientRole.forConnectionType(json.getString("role")).orElseThrow(),
        json.getString("name"),
        json.getString("node_id"),
        json.getString("resume_id"),
        json.getBoolean("streams", false),
        json.getJsonObject("card"));
  }
}
