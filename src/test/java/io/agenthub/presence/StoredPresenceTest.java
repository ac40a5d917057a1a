package io.agenthub.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agenthub.protocol.Timestamps;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The store's JSON, and the replications' records, are shared with instances of other versions during a rolling
 * restart: records as earlier versions wrote them must read back and write out exactly as they were.
 */
class StoredPresenceTest {
  private static final String AGENT_AS_EVERY_VERSION_WROTE_IT = "{\"agent_id\":\"agent_0000abcd\","
      + "\"agent_name\":\"Echo\","
      + "\"is_online\":false,\"last_seen\":\"2026-11-25T10:00:00.12345\",\"node_id\":\"n1\",\"connected\":true,"
      + "\"revision\":7}";
  private static final String BROKER_AS_EVERY_VERSION_WROTE_IT = "{\"broker_id\":\"broker_0000abcd\","
      + "\"broker_name\":\"Router\",\"is_online\":true,\"last_seen\":\"2026-11-25T10:00:00\",\"node_id\":\"n1\"}";

  @Test
  void anAgentRecordOfAnEarlierVersionIsWrittenBackByteForByte() {
    AgentPresence agent = StoredPresence.decodeAgent(new JsonObject(AGENT_AS_EVERY_VERSION_WROTE_IT));
    assertEquals(new AgentPresence("agent_0000abcd", "Echo", false, Timestamps.parse("2026-11-25T10:00:00.12345"),
        "n1", true, 7, false), agent);
    assertEquals(AGENT_AS_EVERY_VERSION_WROTE_IT, StoredPresence.encode(agent).encode());
  }

  @Test
  void aBrokerRecordOfAnEarlierVersionIsWrittenBackByteForByte() {
    BrokerPresence broker = StoredPresence.decodeBroker(new JsonObject(BROKER_AS_EVERY_VERSION_WROTE_IT));
    assertEquals("Router", broker.name());
    assertEquals(BROKER_AS_EVERY_VERSION_WROTE_IT, StoredPresence.encode(broker).encode());
  }

  @Test
  void keysThisVersionDoesNotKnowAreIgnored() {
    JsonObject later = new JsonObject(AGENT_AS_EVERY_VERSION_WROTE_IT).put("capabilities", new JsonObject());
    assertEquals(StoredPresence.decodeAgent(new JsonObject(AGENT_AS_EVERY_VERSION_WROTE_IT)),
        StoredPresence.decodeAgent(later));
  }

  @Test
  void everyChangeOfStatusRaisesTheRevisionAndASignOfLifeDoesNot() {
    Instant start = Instant.parse("2026-11-25T10:00:00.000000999Z");
    AgentPresence online = AgentPresence.registered("agent_0000abcd", "Echo", "n1", 4, start, false, null);
    assertEquals(5, online.revision(), "above the id's previous holder");
    assertEquals(Timestamps.parse("2026-11-25T10:00:00"), online.lastSeen(), "to the microsecond, as clients see it");
    assertTrue(online.online() && online.connected());

    AgentPresence seen = online.seen(start.plusSeconds(5));
    assertEquals(5, seen.revision());
    AgentPresence silent = seen.wentOffline(start.plusSeconds(20));
    assertEquals(6, silent.revision());
    assertTrue(silent.onlineOrConnected(), "its socket is still open");
    AgentPresence back = silent.cameBack(start.plusSeconds(21));
    assertEquals(7, back.revision());
    AgentPresence gone = back.disconnected(start.plusSeconds(30));
    assertEquals(8, gone.revision());
    assertFalse(gone.onlineOrConnected());
    assertEquals(start.plusSeconds(30).truncatedTo(java.time.temporal.ChronoUnit.MICROS), gone.lastSeen());
  }

  @Test
  void clientsSeeOnlyTheContractsEntry() {
    AgentPresence agent = StoredPresence.decodeAgent(new JsonObject(AGENT_AS_EVERY_VERSION_WROTE_IT));
    assertEquals("{\"agent_id\":\"agent_0000abcd\",\"agent_name\":\"Echo\",\"is_online\":false,"
        + "\"last_seen\":\"2026-11-25T10:00:00.12345\"}", agent.statusEntry().toJson().encode());
  }
}
