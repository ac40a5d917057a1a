package io.agenthub.bus;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Reply of {@link Addresses#PRESENCE_REGISTER}: the client's id, and whether it is a resumed one; a resumed session
 * comes with the delivery keys its previous socket was written, oldest first (see {@link ClientDisconnected}).
 */
public record RegisterReply(String clientId, boolean resumed, List<String> recentKeys) {

  public RegisterReply {
    recentKeys = List.copyOf(recentKeys);
  }

  public RegisterReply(String clientId, boolean resumed) {
    this(clientId, resumed, List.of());
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("client_id", clientId)
        .put("resumed", resumed);
    if (!recentKeys.isEmpty()) {
      json.put("recent_keys", new JsonArray(recentKeys));
    }
    return json;
  }

  public static RegisterReply fromJson(JsonObject json) {
    return new RegisterReply(json.getString("client_id"), json.getBoolean("resumed", false),
        keys(json.getJsonArray("recent_keys")));
  }

  private static List<String> keys(JsonArray keys) {
    return keys == null ? List.of() : keys.stream().map(String.class::cast).toList();
  }
}
