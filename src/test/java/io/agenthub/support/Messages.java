package io.agenthub.support;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.UUID;

/** Chat messages and lookups shared by the tests. */
public final class Messages {
  private Messages() {
  }

  /** A TEXT as the React UI sends it. */
  public static JsonObject text(String payload) {
    return new JsonObject()
        .put("message_type", "TEXT")
        .put("message_id", UUID.randomUUID().toString())
        .put("receiver_id", "server")
        .put("text_payload", payload)
        .put("send_timestamp", "2025-04-08T10:00:00");
  }

  public static JsonObject findAgent(JsonArray agents, String agentId) {
    return agents.stream().map(JsonObject.class::cast)
        .filter(a -> agentId.equals(a.getString("agent_id"))).findFirst().orElse(null);
  }

  /** True for an AGENT_STATUS_UPDATE listing that agent with that online state. */
  public static boolean statusShows(JsonObject frame, String agentId, boolean online) {
    if (!"AGENT_STATUS_UPDATE".equals(frame.getString("message_type"))) {
      return false;
    }
    JsonObject agent = findAgent(frame.getJsonArray("agents"), agentId);
    return agent != null && agent.getBoolean("is_online") == online;
  }
}
