package io.agenthub.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ChatMessagesTest {

  @Test
  void stampingFillsWhatTheContractNeedsAndKeepsTheRest() {
    JsonObject stamped = ChatMessages.stampFromClient(new JsonObject().put("message_type", "TEXT")
        .put("text_payload", "hi").put("extra", 1).put("_target_agent_id", "agent_11111111"), "web_0000abcd",
        ClientRole.FRONTEND, Timestamps.parse("2025-04-08T10:00:00.1234"));
    assertEquals("web_0000abcd", stamped.getString("sender_id"));
    assertEquals("web_0000abcd", stamped.getString("_client_id"));
    assertEquals("frontend", stamped.getString("_connection_type"));
    assertEquals("", stamped.getString("receiver_id"));
    assertFalse(stamped.getString("message_id").isEmpty());
    assertEquals("2025-04-08T10:00:00.1234", stamped.getString("send_timestamp"), "when the hub received it");
    assertEquals(1, stamped.getInteger("extra"));
    assertFalse(stamped.containsKey("_target_agent_id"));
  }

  @Test
  void timestampsAreTheOldHubsFormatToTheMicrosecond() {
    Instant at = Instant.parse("2025-04-08T10:00:00.123456789Z");
    assertEquals("2025-04-08T10:00:00.123456", Timestamps.format(at));
    assertEquals("2025-04-08T10:00:00", Timestamps.format(Instant.parse("2025-04-08T10:00:00Z")));
    assertEquals(Timestamps.truncate(at), Timestamps.parse(Timestamps.format(at)), "survives a round trip");
  }

  @Test
  void copiesForClientsLoseOnlyInternalKeys() {
    JsonObject message = new JsonObject().put("_client_id", "a").put("_broadcast", true).put("_target_agent_id", "b")
        .put("_connection_type", "agent").put("text_payload", "x");
    assertEquals(new JsonObject().put("_connection_type", "agent").put("text_payload", "x"),
        ChatMessages.forClient(message));
    assertEquals(5, message.size(), "the original is untouched");
  }

  @Test
  void idsHaveTheContractsFormat() {
    for (ClientRole role : ClientRole.values()) {
      String id = ClientIds.newId(role);
      assertTrue(ClientIds.isWellFormed(id), id);
      assertEquals(role, ClientRole.ofId(id).orElseThrow());
    }
  }
}
