package io.agenthub.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agenthub.bus.PresenceChanged;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class StatusBatchTest {

  @Test
  void changesOfDifferentAgentsLeaveAsTheLatestListNamingAllOfThem() {
    StatusBatch batch = new StatusBatch();
    batch.add(change("list after a", "agent_a"));
    assertTrue(batch.accepts(change("list after b", "agent_b")));
    batch.add(change("list after b", "agent_b"));

    PresenceChanged sent = batch.toChange();
    assertEquals("list after b", sent.agents().getJsonObject(0).getString("marker"));
    assertEquals(new JsonArray().add(agent("agent_a")).add(agent("agent_b")), sent.changed());
  }

  @Test
  void aSecondChangeOfOneAgentNeedsAnUpdateOfItsOwn() {
    StatusBatch batch = new StatusBatch();
    batch.add(change("a online", "agent_a"));

    assertFalse(batch.accepts(change("a offline", "agent_a")));
  }

  private static PresenceChanged change(String marker, String agentId) {
    return new PresenceChanged(new JsonArray().add(new JsonObject().put("marker", marker)),
        new JsonArray().add(agent(agentId)));
  }

  private static JsonObject agent(String agentId) {
    return new JsonObject().put("agent_id", agentId).put("is_online", true);
  }
}
