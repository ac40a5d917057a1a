package io.agenthub.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.agenthub.protocol.Timestamps;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class OfflineRetentionTest {
  private static final Instant LONG_AGO = Timestamps.parse("2000-01-01T00:00:00");

  @Test
  void beyondTheCountTheLongestOfflineAreForgottenFirst() {
    List<AgentPresence> records = List.of(
        offline("agent_c", "2026-11-25T10:00:03"),
        offline("agent_a", "2026-11-25T10:00:01"),
        offline("agent_d", "2026-11-25T10:00:04"),
        offline("agent_b", "2026-11-25T10:00:02"));

    assertEquals(List.of("agent_a", "agent_b"), ids(OfflineRetention.toForget(records, LONG_AGO, 2)));
    assertEquals(List.of(), ids(OfflineRetention.toForget(records, LONG_AGO, 4)));
  }

  @Test
  void agentsOfflineLongerThanTheRetentionAreForgottenWhateverTheCount() {
    List<AgentPresence> records = List.of(
        offline("agent_a", "2026-11-18T10:00:00"),
        offline("agent_b", "2026-11-25T10:00:00"));

    assertEquals(List.of("agent_a"),
        ids(OfflineRetention.toForget(records, Timestamps.parse("2026-11-20T00:00:00"), 10_000)));
  }

  @Test
  void onlineAgentsAndAgentsWhoseSocketIsStillOpenAreNeverForgotten() {
    List<AgentPresence> records = List.of(
        agent("agent_a", "2026-11-01T10:00:00", true, false),
        agent("agent_b", "2026-11-01T10:00:00", false, true),
        offline("agent_c", "2026-11-25T10:00:00"));

    assertEquals(List.of("agent_c"),
        ids(OfflineRetention.toForget(records, Timestamps.parse("2026-11-30T00:00:00"), 1)));
    assertEquals(List.of(), ids(OfflineRetention.toForget(records, LONG_AGO, 1)), "online ones do not count");
  }

  @Test
  void tiesInLastSeenAreBrokenById() {
    List<AgentPresence> records = List.of(
        offline("agent_b", "2026-11-25T10:00:00"),
        offline("agent_a", "2026-11-25T10:00:00"));

    assertEquals(List.of("agent_a"), ids(OfflineRetention.toForget(records, LONG_AGO, 1)));
  }

  private static AgentPresence offline(String id, String lastSeen) {
    return agent(id, lastSeen, false, false);
  }

  private static AgentPresence agent(String id, String lastSeen, boolean online, boolean connected) {
    return new AgentPresence(id, "Echo", online, Timestamps.parse(lastSeen), "n1", connected, 2, false);
  }

  private static List<String> ids(List<AgentPresence> records) {
    return records.stream().map(AgentPresence::agentId).toList();
  }
}
