package io.agenthub.bus;

import io.vertx.core.json.JsonObject;

/**
 * Request on {@link Addresses#gatewayMonitors}: the monitoring copy of a routed message, as encoded text, for every
 * frontend of that instance except the one named (nullable).
 */
public record MonitorCopy(String frame, String except) {

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("frame", frame);
    if (except != null) {
      json.put("except", except);
    }
    return json;
  }

  public static MonitorCopy fromJson(JsonObject json) {
    return new MonitorCopy(json.getString("frame"), json.getString("except"));
  }
}
