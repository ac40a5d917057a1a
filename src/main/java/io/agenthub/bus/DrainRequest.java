package io.agenthub.bus;

import io.vertx.core.json.JsonObject;

/** Request on {@link Addresses#BRIDGE_DRAIN}. */
public record DrainRequest(String clientId) {

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("client_id", clientId);
    return json;
  }

  public static DrainRequest fromJson(JsonObject json) {
    return new DrainRequest(json.getString("client_id"));
  }
}
