package io.agenthub.bus;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Published on {@link Addresses#GATEWAY_FAN_OUT}: one encoded frame for every registered socket of the given roles
 * ({@code ["frontend", "broker"]}), except the client named (nullable).
 */
public record FanOut(JsonArray roles, String frame, String except) {

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("roles", roles)
        .put("frame", frame);
    if (except != null) {
      json.put("except", except);
    }
    return json;
  }

  public static FanOut fromJson(JsonObject json) {
    return new FanOut(json.getJsonArray("roles"), json.getString("frame"), json.getString("except"));
  }
}
