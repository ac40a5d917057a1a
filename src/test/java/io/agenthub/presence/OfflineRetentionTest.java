package io.agenthub.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

class OfflineRetentionTest {
  private static final LocalDateTime LONG_AGO = LocalDateTime.parse("2000-01-01T00:00:00");

  @Test
  void beyondTheCountTheLongestOfflineAreForgottenFirst() {
    List<JsonObject> records = List.of(
        offline("agent_c", "2026-11-25T10:00:03"),
        offline("agent_a", "2026-11-25T10:00:01"),
        offline("agent_d", "2026-11-25T10:00:04"),
        offline("agent_b", "2026-11-25T10:00:02"));

    assertEquals(List.of("agent_a", "agent_b"), ids(OfflineRetention.toForget(records, LONG_AGO, 2)));
    assertEquals(List.of(), ids(OfflineRetention.toForget(records, LONG_AGO, 4)));
  }

  @Test
  void agentsOfflineLongerThanTheRetentionAreForgottenWhateverTheCount() {
    List<JsonObject> records = List.of(
        offline("agent_a", "2026-11-18T10:00:00"),
        offline("agent_b", "2026-11-25T10:00:00"));

    assertEquals(List.of("agent_a"),
        ids(OfflineRetention.toForget(records, LocalDateTime.parse("2026-11-20T00:00:00"), 10_000)));
  }

  @Test
  void onlineAgentsAndAgentsWhoseSocketIsStillOpenAreNeverForgotten() {
    List<JsonObject> records = List.of(
        offline("agent_a", "2026-11-01T10:00:00").put("is_online", true),
        offline("agent_b", "2026-11-01T10:00:00").put(AgentRecords.CONNECTED, true),
        offline("agent_c", "2026-11-25T10:00:00"));

    assertEquals(List.of("agent_c"),
        ids(OfflineRetention.toForget(records, LocalDateTime.parse("2026-11-30T00:00:00"), 1)));
    assertEquals(List.of(), ids(OfflineRetention.toForget(records, LONG_AGO, 1)), "online ones do not count");
  }

  @Test
  void tiesInLastSeenAreBrokenById() {
    List<JsonObject> records = List.of(
        offline("agent_b", "2026-11-25T10:00:00"),
        offline("agent_a", "2026-11-25T10:00:00"));

    assertEquals(List.of("agent_a"), ids(OfflineRetention.toForget(records, LONG_AGO, 1)));
  }

  private static JsonObject offline(String id, String lastSeen) {
    return new JsonObject().put("agent_id", id).put("agent_name", "Echo").put("is_online", false)
        .put("last_seen", lastSeen).put("connected", false).put(AgentDirectory.REVISION, 2L);
  }

  private static List<String> ids(List<JsonObject> records) {
    return records.stream().map(r -> r.getString("agent_id")).toList();
  }
}
