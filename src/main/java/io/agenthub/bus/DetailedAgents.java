package io.agenthub.bus;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Reply of {@link LoadAddresses#PRESENCE_DETAILS}: every agent's detailed entry, in id order. */
public record DetailedAgents(JsonArray agents) {

  public JsonObject toJson() {
    return new JsonObject()
        .put("agents", agents);
  }

  public static DetailedAgents fromJson(JsonObject json) {
    return new DetailedAgents(json.getJsonArray("agents"));
  }
}
