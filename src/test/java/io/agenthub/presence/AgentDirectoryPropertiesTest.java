package io.agenthub.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Properties of merging by revision, each checked on many generated histories (the seed names a failing one):
 * whatever order announcements and store reads arrive in, and however often each is repeated, every directory ends
 * with the highest revision of each agent and the latest last_seen of that revision; a forgotten agent stays
 * forgotten unless a newer revision follows.
 */
class AgentDirectoryPropertiesTest {
  private static final LocalDateTime START = LocalDateTime.parse("2026-11-25T10:00:00");

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("io.agenthub.support.Seeds#seeds")
  void anyOrderOfAnnouncementsConvergesToTheHighestRevisionPerAgent(long seed) {
    Random random = new Random(seed);
    List<JsonObject> history = history(random);
    Map<String, JsonObject> expected = latestPerAgent(history);

    JsonArray first = deliverShuffled(history, random, new AgentDirectory());
    JsonArray second = deliverShuffled(history, random, new AgentDirectory());

    assertEquals(expected.size(), first.size(), "seed " + seed);
    for (Object listed : first) {
      JsonObject agent = (JsonObject) listed;
      JsonObject latest = expected.get(agent.getString("agent_id"));
      assertEquals(latest.getBoolean("is_online"), agent.getBoolean("is_online"), "seed " + seed + ": " + agent);
      assertEquals(latest.getString("agent_name"), agent.getString("agent_name"), "seed " + seed);
      assertEquals(latest.getString("last_seen"), agent.getString("last_seen"), "seed " + seed + ": latest PONG kept");
    }
    assertEquals(first, second, "seed " + seed + ": two instances hearing different orders agree");
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("io.agenthub.support.Seeds#seeds")
  void aForgottenAgentStaysForgottenWhateverArrivesLate(long seed) {
    Random random = new Random(seed);
    List<JsonObject> history = history(random);
    JsonObject victim = history.get(random.nextInt(history.size()));
    String victimId = victim.getString("agent_id");
    long lastRevision = latestPerAgent(history).get(victimId).getLong(AgentDirectory.REVISION);
    List<Runnable> events = new ArrayList<>();
    AgentDirectory directory = new AgentDirectory();
    for (JsonObject record : history) {
      events.add(() -> directory.merge(record.copy()));
    }
    events.add(() -> directory.forget(victimId, lastRevision));
    Collections.shuffle(events, random);
    events.forEach(Runnable::run);

    JsonArray list = directory.forClients();
    assertNull(list.stream().map(JsonObject.class::cast).filter(a -> victimId.equals(a.getString("agent_id")))
        .findFirst().orElse(null), "seed " + seed + ": " + victimId + " came back");
    assertEquals(latestPerAgent(history).size() - 1, list.size(), "seed " + seed + ": the others stay");
    assertEquals(lastRevision, directory.revisionOf(victimId), "seed " + seed);
  }

  /** Up to 5 agents, each with revisions 1..n and some PONG refreshes (same revision, later last_seen). */
  private static List<JsonObject> history(Random random) {
    List<JsonObject> records = new ArrayList<>();
    int agents = 1 + random.nextInt(5);
    for (int a = 0; a < agents; a++) {
      String id = String.format("agent_%08x", a);
      LocalDateTime seen = START;
      int revisions = 1 + random.nextInt(6);
      for (long revision = 1; revision <= revisions; revision++) {
        boolean online = revision % 2 == 1;
        int pongs = online ? random.nextInt(3) : 0;
        for (int p = 0; p <= pongs; p++) {
          seen = seen.plusNanos(1_000 * (1 + random.nextInt(1_000_000)));
          records.add(new JsonObject().put("agent_id", id).put("agent_name", "Agent " + a + " r" + revision)
              .put("is_online", online).put("last_seen", seen.toString()).put(AgentDirectory.REVISION, revision));
        }
      }
    }
    return records;
  }

  private static Map<String, JsonObject> latestPerAgent(List<JsonObject> history) {
    Map<String, JsonObject> latest = new HashMap<>();
    for (JsonObject record : history) {
      latest.merge(record.getString("agent_id"), record, (known, next) -> {
        long knownRevision = known.getLong(AgentDirectory.REVISION);
        long nextRevision = next.getLong(AgentDirectory.REVISION);
        if (nextRevision != knownRevision) {
          return nextRevision > knownRevision ? next : known;
        }
        return LocalDateTime.parse(next.getString("last_seen")).isAfter(LocalDateTime.parse(known.getString("last_seen")))
            ? next : known;
      });
    }
    return latest;
  }

  /**
   * Every record announced once; some also read from the store or refreshed by a PONG (merged or refreshed again),
   * all in a random order.
   */
  private static JsonArray deliverShuffled(List<JsonObject> history, Random random, AgentDirectory directory) {
    List<Runnable> deliveries = new ArrayList<>();
    for (JsonObject record : history) {
      deliveries.add(() -> directory.merge(record.copy()));
      if (random.nextBoolean()) {
        boolean asRefresh = random.nextBoolean();
        deliveries.add(() -> {
          if (asRefresh) {
            directory.refresh(record.copy());
          } else {
            directory.merge(record.copy());
          }
        });
      }
    }
    Collections.shuffle(deliveries, random);
    deliveries.forEach(Runnable::run);
    return directory.forClients();
  }
}
