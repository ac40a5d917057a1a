package io.agenthub.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agenthub.protocol.Timestamps;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class AgentDirectoryTest {
  private final AgentDirectory directory = new AgentDirectory();

  @Test
  void aLateAnnouncementDoesNotUndoANewerOne() {
    assertTrue(directory.merge(agent("agent_a", 2, false, "2026-11-25T10:00:02")));
    assertFalse(directory.merge(agent("agent_a", 1, true, "2026-11-25T10:00:01")));

    assertEquals(false, onlyAgent().getBoolean("is_online"));
    assertEquals("2026-11-25T10:00:02", onlyAgent().getString("last_seen"));
  }

  @Test
  void announcementsOfDifferentAgentsApplyInAnyOrder() {
    List<AgentPresence> changed = directory.mergeAll(List.of(
        agent("agent_b", 1, true, "2026-11-25T10:00:01"),
        agent("agent_a", 7, true, "2026-11-25T10:00:01")));

    assertEquals(2, changed.size());
    JsonArray list = directory.forClients();
    assertEquals("agent_a", list.getJsonObject(0).getString("agent_id"), "listed in id order");
    assertEquals("agent_b", list.getJsonObject(1).getString("agent_id"));
  }

  @Test
  void aPongOfTheKnownRevisionRefreshesLastSeenWithoutCountingAsAChange() {
    directory.merge(agent("agent_a", 3, true, "2026-11-25T10:00:00"));

    assertFalse(directory.merge(agent("agent_a", 3, true, "2026-11-25T10:00:09.5")));
    directory.refresh(agent("agent_a", 3, true, "2026-11-25T10:00:05"));

    assertEquals("2026-11-25T10:00:09.5", onlyAgent().getString("last_seen"), "an earlier refresh is ignored");
  }

  @Test
  void aRefreshAheadOfItsAnnouncementLeavesTheAnnouncementNew() {
    directory.merge(agent("agent_a", 1, true, "2026-11-25T10:00:00"));

    directory.refresh(agent("agent_a", 2, false, "2026-11-25T10:00:03"));

    assertEquals(true, onlyAgent().getBoolean("is_online"));
    assertTrue(directory.merge(agent("agent_a", 2, false, "2026-11-25T10:00:03")));
  }

  @Test
  void clientsSeeOnlyTheContractFields() {
    directory.merge(new AgentPresence("agent_a", "Echo", true, Timestamps.parse("2026-11-25T10:00:00"), "n1", true, 1,
        false));

    assertEquals(new JsonObject().put("agent_id", "agent_a").put("agent_name", "Echo").put("is_online", true)
        .put("last_seen", "2026-11-25T10:00:00"), onlyAgent());
    assertEquals(1, directory.revisionOf("agent_a"));
    assertEquals(0, directory.revisionOf("agent_unknown"));
  }

  /** Thousands of registrations between two changes share one list; any change of what it shows makes a new one. */
  @Test
  void theListIsBuiltOncePerVersionAndEveryChangeOfItRaisesTheVersion() {
    directory.merge(agent("agent_a", 1, true, "2026-11-25T10:00:00"));
    long first = directory.version();
    JsonArray list = directory.forClients();
    assertSame(list, directory.forClients(), "built once while nothing changes");
    assertFalse(directory.merge(agent("agent_a", 1, true, "2026-11-25T09:00:00")),
        "an older last_seen changes nothing");
    assertEquals(first, directory.version());

    directory.refresh(agent("agent_a", 1, true, "2026-11-25T10:00:05"));
    long refreshed = directory.version();
    assertTrue(refreshed > first, "a later last_seen is a change of the list");
    assertEquals("2026-11-25T10:00:05", directory.forClients().getJsonObject(0).getString("last_seen"));
    directory.merge(agent("agent_a", 2, false, "2026-11-25T10:00:06"));
    long merged = directory.version();
    assertTrue(merged > refreshed);
    assertTrue(directory.forget("agent_a", 2));
    assertTrue(directory.version() > merged, "forgetting an agent is a change");
    assertEquals(0, directory.forClients().size());
  }

  private JsonObject onlyAgent() {
    JsonArray list = directory.forClients();
    assertEquals(1, list.size());
    return list.getJsonObject(0);
  }

  @Test
  void aForgottenAgentLeavesTheListAndALateAnnouncementDoesNotBringItBack() {
    directory.merge(agent("agent_a", 4, false, "2026-11-25T10:00:00"));
    directory.merge(agent("agent_b", 1, true, "2026-11-25T10:00:00"));

    assertTrue(directory.forget("agent_a", 4));
    assertFalse(directory.merge(agent("agent_a", 4, false, "2026-11-25T10:00:00")), "the forgotten revision");
    assertFalse(directory.merge(agent("agent_a", 3, true, "2026-11-25T09:59:00")), "an older one");

    assertEquals(1, directory.forClients().size());
    assertEquals(4, directory.revisionOf("agent_a"), "a fresh registration of the id continues from it");
    assertTrue(directory.merge(agent("agent_a", 5, true, "2026-11-25T11:00:00")), "the id back in use");
  }

  @Test
  void forgettingHeardBeforeTheRecordItRemovesStillWins() {
    assertFalse(directory.forget("agent_a", 2));
    assertFalse(directory.merge(agent("agent_a", 2, false, "2026-11-25T10:00:00")));
    assertEquals(0, directory.forClients().size());
  }

  @Test
  void anAgentThatCameBackIsNotForgotten() {
    directory.merge(agent("agent_a", 5, true, "2026-11-25T10:00:00"));

    assertFalse(directory.forget("agent_a", 4));
    assertEquals(true, onlyAgent().getBoolean("is_online"));
  }

  private static AgentPresence agent(String id, long revision, boolean online, String lastSeen) {
    return new AgentPresence(id, "Echo", online, Timestamps.parse(lastSeen), null, false, revision, false);
  }
}
