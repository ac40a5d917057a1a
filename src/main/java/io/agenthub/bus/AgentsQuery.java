package io.agenthub.bus;

import io.vertx.core.json.JsonObject;

/** Request on {@link Addresses#PRESENCE_AGENTS}; {@code refresh} takes in the shared store first. */
public record AgentsQuery(boolean refresh) {

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("refresh", refresh);
    return json;
  }

  public static AgentsQuery fromJson(JsonObject json) {
    return new AgentsQuery(json.getBoolean("refresh", false));
  }
}
