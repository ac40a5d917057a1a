package io.agenthub.bus;

import io.vertx.core.json.JsonObject;

/**
 * Reply of {@link Addresses#PRESENCE_AWAY}: whether the client may still resume, and until when (epoch ms, 0 when
 * not away).
 */
public record AwayStatus(boolean away, long until) {

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("away", away)
        .put("until", until);
    return json;
  }

  public static AwayStatus fromJson(JsonObject json) {
    return new AwayStatus(json.getBoolean("away", false), json.getLong("until", 0L));
  }
}
