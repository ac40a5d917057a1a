package io.agenthub.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class StatusBatchTest {
  private static final JsonArray WATCHERS = new JsonArray().add("frontend").add("broker");

  @Test
  void changesOfDifferentAgentsLeaveAsTheLatestListNamingAllOfThem() {
    StatusBatch batch = new StatusBatch();
    batch.add(announcement(WATCHERS, "list after a", "agent_a"));
    assertTrue(batch.accepts(announcement(WATCHERS, "list after b", "agent_b")));
    batch.add(announcement(WATCHERS, "list after b", "agent_b"));

    JsonObject broadcast = batch.toBroadcast();
    assertEquals("list after b", broadcast.getJsonObject("frame").getString("marker"));
    assertEquals(new JsonArray().add(agent("agent_a")).add(agent("agent_b")), broadcast.getJsonArray("changed"));
  }

  @Test
  void aSecondChangeOfOneAgentNeedsAnUpdateOfItsOwn() {
    StatusBatch batch = new StatusBatch();
    batch.add(announcement(WATCHERS, "a online", "agent_a"));

    assertFalse(batch.accepts(announcement(WATCHERS, "a offline", "agent_a")));
  }

  @Test
  void onlyAnnouncementsForTheSameRecipientsShareAnUpdate() {
    StatusBatch batch = new StatusBatch();
    batch.add(announcement(WATCHERS, "to watchers", "agent_a"));

    assertFalse(batch.accepts(announcement(new JsonArray().add("broker"), "to brokers", "agent_b")));
  }

  @Test
  void onlyBroadcastsNamingChangedAgentsAreBatched() {
    assertTrue(StatusBatch.isStatusChange(announcement(WATCHERS, "change", "agent_a")));
    assertFalse(StatusBatch.isStatusChange(new JsonObject().put("roles", WATCHERS).put("frame", new JsonObject())));
  }

  private static JsonObject announcement(JsonArray roles, String marker, String agentId) {
    return new JsonObject().put("roles", roles)
        .put("frame", new JsonObject().put("message_type", "AGENT_STATUS_UPDATE").put("marker", marker))
        .put("changed", new JsonArray().add(agent(agentId)));
  }

  private static JsonObject agent(String agentId) {
    return new JsonObject().put("agent_id", agentId).put("is_online", true);
  }
}
