package io.agenthub.bus;

import io.vertx.core.json.JsonObject;

/** Request on {@link LoadAddresses#PRESENCE_CARD}: the agent's new card, as checked by the gateway. */
public record CardUpdate(String agentId, JsonObject card) {

  public JsonObject toJson() {
    return new JsonObject()
        .put("agent_id", agentId)
        .put("card", card);
  }

  public static CardUpdate fromJson(JsonObject json) {
    return new CardUpdate(json.getString("agent_id"), json.getJsonObject("card"));
  }
}
