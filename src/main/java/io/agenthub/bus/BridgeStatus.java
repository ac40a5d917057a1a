package io.agenthub.bus;

import io.vertx.core.json.JsonObject;

/** Reply of {@link Addresses#BRIDGE_STATUS}; {@code broker} is "embedded" or "external". */
public record BridgeStatus(boolean connected, String target, String broker, int unconfirmedPublishes) {

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("connected", connected)
        .put("target", target)
        .put("broker", broker)
        .put("unconfirmed_publishes", unconfirmedPublishes);
    return json;
  }

  public static BridgeStatus fromJson(JsonObject json) {
    return new BridgeStatus(
        json.getBoolean("connected", false),
        json.getString("target"),
        json.getString("broker"),
        json.getInteger("unconfirmed_publishes", 0));
  }
}
