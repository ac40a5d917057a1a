package io.agenthub.bus;

import io.vertx.core.json.JsonObject;

/**
 * Published on {@link LoadAddresses#PRESENCE_LOAD_REPORT}: one instance's measures for this interval (its own agents'
 * PONG figures added), and the answers it could not match to a message it handed.
 */
public record LoadReport(String nodeId, LoadMeasures measures) {

  public JsonObject toJson() {
    return measures.toJson().put("node_id", nodeId);
  }

  public static LoadReport fromJson(JsonObject json) {
    return new LoadReport(json.getString("node_id"), LoadMeasures.fromJson(json));
  }
}
