package io.agenthub.bus;

import io.vertx.core.json.JsonObject;

/** Reply of {@link Addresses#BRIDGE_DRAIN}: how many waiting messages were written. */
public record DrainReply(int delivered) {

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("delivered", delivered);
    return json;
  }

  public static DrainReply fromJson(JsonObject json) {
    return new DrainReply(json.getInteger("delivered", 0));
  }
}
