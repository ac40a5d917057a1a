package io.agenthub.bus;

import io.vertx.core.json.JsonObject;

/** Request on {@link Addresses#BRIDGE_FORWARD}: a chat message stamped by the gateway, as encoded JSON text. */
public record ForwardRequest(String message) {

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("message", message);
    return json;
  }

  public static ForwardRequest fromJson(JsonObject json) {
    return new ForwardRequest(json.getString("message"));
  }
}
