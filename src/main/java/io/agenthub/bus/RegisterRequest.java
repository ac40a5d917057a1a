package io.agenthub.bus;

import io.agenthub.protocol.ClientRole;
import io.vertx.core.json.JsonObject;

/**
 * Request on {@link Addresses#PRESENCE_REGISTER}: reserve an id for a client registering on {@code nodeId}, or give
 * it back its previous {@code resumeId} (nullable); {@code streams}: an agent that registered with
 * {@code "streams": true}.
 */
public record RegisterRequest(ClientRole role, String name, String nodeId, String resumeId, boolean streams) {

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
    return json;
  }

  public static RegisterRequest fromJson(JsonObject json) {
    return new RegisterRequest(
        ClientRole.forConnectionType(json.getString("role")).orElseThrow(),
        json.getString("name"),
        json.getString("node_id"),
        json.getString("resume_id"),
        json.getBoolean("streams", false));
  }
}
