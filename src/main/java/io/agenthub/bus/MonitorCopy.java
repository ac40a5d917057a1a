package io.agenthub.bus;

import io.vertx.core.json.JsonObject;

/**
 * Request on {@link Addresses#gatewayMonitors}: the monitoring copy of a routed message, as encoded text, for every
 * frontend of that instance except the one named (nullable). {@code key} (nullable) is set on the copy of a message
 * consumed from {@code broker_output_queue}, as {@link Addresses#DELIVERY_KEY_HEADER} is on a direct delivery: a
 * frontend that already got a frame with that key gets no second one. The copy of a message a client sent has none.
 */
public record MonitorCopy(String frame, String except, String key) {

  public MonitorCopy(String frame, String except) {
    this(frame, except, null);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("frame", frame);
    if (except != null) {
      json.put("except", except);
    }
    if (key != null) {
      json.put("key", key);
    }
    return json;
  }

  public static MonitorCopy fromJson(JsonObject json) {
    return new MonitorCopy(json.getString("frame"), json.getString("except"), json.getString("key"));
  }
}
