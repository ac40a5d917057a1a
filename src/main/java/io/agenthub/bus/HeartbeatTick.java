package io.agenthub.bus;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Published on {@link Addresses#HEARTBEAT_TICK}: a timer of this instance fired; {@code agents} carries the agent
 * list for {@link #AGENT_STATUS} (null otherwise).
 */
public record HeartbeatTick(String timer, JsonArray agents) {
  /** Time to PING every agent. */
  public static final String AGENT_PING = "agent_ping";
  /** Time to send every client a SERVER_HEARTBEAT. */
  public static final String SERVER_HEARTBEAT = "server_heartbeat";
  /** Time for the periodic full AGENT_STATUS_UPDATE to frontends and brokers. */
  public static final String AGENT_STATUS = "agent_status";

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("timer", timer);
    if (agents != null) {
      json.put("agents", agents);
    }
    return json;
  }

  public static HeartbeatTick fromJson(JsonObject json) {
    return new HeartbeatTick(json.getString("timer"), json.getJsonArray("agents"));
  }
}
