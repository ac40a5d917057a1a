package io.agenthub.bus;

import io.vertx.core.json.JsonObject;

/** Request on {@link Addresses#PRESENCE_AWAY}. */
public record AwayQuery(String clientId) {

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("client_id", clientId);
    return json;
  }

  public static AwayQuery fromJson(JsonObject json) {
    return new AwayQuery(json.getString("client_id"));
  }
}
