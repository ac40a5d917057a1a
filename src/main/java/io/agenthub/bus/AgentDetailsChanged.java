package io.agenthub.bus;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Published on {@link LoadAddresses#PRESENCE_DETAILS_CHANGED}: the detailed entries of the agents whose details
 * changed (the contract's entry with {@code grade}, {@code load}, {@code card}?, {@code streams}?, see
 * {@code protocol.AgentDetails}); {@code announce} says whether the gateway sends them to the clients that asked for
 * agent details, or only keeps them for the status change that follows.
 */
public record AgentDetailsChanged(JsonArray entries, boolean announce) {

  public JsonObject toJson() {
    return new JsonObject()
        .put("entries", entries)
        .put("announce", announce);
  }

  public static AgentDetailsChanged fromJson(JsonObject json) {
    return new AgentDetailsChanged(json.getJsonArray("entries"), json.getBoolean("announce", true));
  }
}
