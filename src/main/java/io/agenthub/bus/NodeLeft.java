package io.agenthub.bus;

import io.vertx.core.json.JsonObject;

/** Sent on {@link Addresses#PRESENCE_NODE_LEFT}: a cluster member left. */
public record NodeLeft(String nodeId) {

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("node_id", nodeId);
    return json;
  }

  public static NodeLeft fromJson(JsonObject json) {
    return new NodeLeft(json.getString("node_id"));
  }
}
