package io.agenthub.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.agenthub.protocol.Timestamps;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
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
  private static final Instant START = Timestamps.parse("2026-11-25T10:00:00");

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("io.agenthub.support.Seeds#seeds")
  void anyOrderOfAnnouncementsConvergesToTheHighestRevisionPerAgent(long seed) {
    Random random = new Random(seed);
    List<AgentPresence> history = history(random);
    Map<String, AgentPresence> expected = latestPerAgent(history);

    JsonArray first = deliverShuffled(history, random, new AgentDirectory());
    JsonArray second = deliverShuffled(history, random, new AgentDirectory());

    assertEquals(expected.size(), first.size(), "seed " + seed);
    for (Object listed : first) {
      JsonObject agent = (JsonObject) listed;
      AgentPresence latest = expected.get(agent.getString("agent_id"));
      assertEquals(latest.online(), agent.getBoolean("is_online"), "seed " + seed + ": " + agent);
      assertEquals(latest.name(), agent.getString("agent_name"), "seed " + seed);
      assertEquals(Timestamps.format(latest.lastSeen()), agent.getString("last_seen"),
          "seed " + seed + ": latest PONG kept");
    }
    assertEquals(first, second, "seed " + seed + ": two instances hearing different orders agree");
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("io.agenthub.support.Seeds#seeds")
  void aForgottenAgentStaysForgottenWhateverArrivesLate(long seed) {
    Random random = new Random(seed);
    List<AgentPresence> history = history(random);
    AgentPresence victim = history.get(random.nextInt(history.size()));
    String victimId = victim.agentId();
    long lastRevision = latestPerAgent(history).get(victimId).revision();
    List<Runnable> events = new ArrayList<>();
    AgentDirectory directory = new AgentDirectory();
    for (AgentPresence record : history) {
      events.add(() -> directory.merge(record));
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
  private static List<AgentPresence> history(Random random) {
    List<AgentPresence> records = new ArrayList<>();
    int agents = 1 + random.nextInt(5);
    for (int a = 0; a < agents; a++) {
      String id = String.format("agent_%08x", a);
      Instant seen = START;
      int revisions = 1 + random.nextInt(6);
      for (long revision = 1; revision <= revisions; revision++) {
        boolean online = revision % 2 == 1;
        int pongs = online ? random.nextInt(3) : 0;
        for (int p = 0; p <= pongs; p++) {
          seen = seen.plusNanos(1_000 * (1 + random.nextInt(1_000_000)));
          records.add(new AgentPresence(id, "Agent " + a + " r" + revision, online, seen, "n1", true, revision,
              false));
        }
      }
    }
    return records;
  }

  private static Map<String, AgentPresence> latestPerAgent(List<AgentPresence> history) {
    Map<String, AgentPresence> latest = new HashMap<>();
    for (AgentPresence record : history) {
      latest.merge(record.agentId(), record, (known, next) -> {
        long knownRevision = known.revision();
        long nextRevision = next.revision();
        if (nextRevision != knownRevision) {
          return nextRevision > knownRevision ? next : known;
        }
        return next.lastSeen().isAfter(known.lastSeen()) ? next : known;
      });
    }
    return latest;
  }

  /**
   * Every record announced once; some also read from the store or refreshed by a PONG (merged or refreshed again),
   * all in a random order.
   */
  private static JsonArray deliverShuffled(List<AgentPresence> history, Random random, AgentDirectory directory) {
    List<Runnable> deliveries = new ArrayList<>();
    for (AgentPresence record : history) {
      deliveries.add(() -> directory.merge(record));
      if (random.nextBoolean()) {
        boolean asRefresh = random.nextBoolean();
        deliveries.add(() -> {
          if (asRefresh) {
            directory.refresh(record);
          } else {
            directory.merge(record);
          }
        });
      }
    }
    Collections.shuffle(deliveries, random);
    deliveries.forEach(Runnable::run);
    return directory.forClients();
  }
}
