package io.agenthub.presence;

import static io.agenthub.support.Messages.findAgent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agenthub.support.HubExtension;
import io.agenthub.support.Integration;
import io.agenthub.support.WsClient;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Protocol extension "delta presence": a watcher that registers with {@code "status_updates":"delta"} gets a full,
 * numbered list first, then only the agents that changed, numbered on; other watchers keep full lists.
 */
@Integration
class DeltaPresenceTest {
  @RegisterExtension
  static final HubExtension HUB = HubExtension.perClass("delta-presence", new JsonObject()
      .put("PERIODIC_STATUS_INTERVAL", 3600));

  @Test
  void deltaWatcherGetsOnlyChangesNumberedInOrderWhileOthersGetFullLists() throws Exception {
    try (WsClient resident = WsClient.register(HUB.port(), "agent", "Resident");
         WsClient delta = WsClient.connect(HUB.port());
         WsClient classic = WsClient.register(HUB.port(), "frontend", "Classic")) {
      delta.send(new JsonObject().put("message_type", "REGISTER_FRONTEND").put("frontend_name", "Delta")
          .put("status_updates", "delta"));
      assertEquals("REGISTER_FRONTEND_RESPONSE", delta.next().getString("message_type"));
      JsonObject first = delta.next("AGENT_STATUS_UPDATE");
      assertTrue(first.getBoolean("is_full_update"));
      assertEquals(1L, first.getLong("seq"));
      assertNotNull(findAgent(first.getJsonArray("agents"), resident.id()), "the first update is the full list");

      String newcomerId;
      try (WsClient newcomer = WsClient.register(HUB.port(), "agent", "Newcomer")) {
        newcomerId = newcomer.id();
        JsonObject online = delta.next("AGENT_STATUS_UPDATE");
        assertEquals(false, online.getBoolean("is_full_update"));
        assertEquals(2L, online.getLong("seq"));
        assertEquals(1, online.getJsonArray("agents").size(), "only the agent that changed: " + online);
        assertTrue(findAgent(online.getJsonArray("agents"), newcomerId).getBoolean("is_online"));
      }
      JsonObject offline = delta.next("AGENT_STATUS_UPDATE");
      assertEquals(3L, offline.getLong("seq"));
      assertFalse(findAgent(offline.getJsonArray("agents"), newcomerId).getBoolean("is_online"));

      JsonObject full = classic.next(f -> "AGENT_STATUS_UPDATE".equals(f.getString("message_type"))
          && findAgent(f.getJsonArray("agents"), newcomerId) != null, WsClient.TIMEOUT);
      assertTrue(full.getBoolean("is_full_update"));
      assertFalse(full.containsKey("seq"), "an old client never sees the extension");
      assertNotNull(findAgent(full.getJsonArray("agents"), resident.id()), "classic watchers get the whole list");
    }
  }
}
