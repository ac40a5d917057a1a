package io.agenthub.bus;

import io.vertx.core.json.JsonObject;

/** Reply of {@link Addresses#PRESENCE_REGISTER}: the client's id, and whether it is a resumed one. */
public record RegisterReply(String clientId, boolean resumed) {

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("client_id", clientId)
        .put("resumed", resumed);
    return json;
  }

  public static RegisterReply fromJson(JsonObject json) {
    return new RegisterReply(json.getString("client_id"), json.getBoolean("resumed", false));
  }
}
