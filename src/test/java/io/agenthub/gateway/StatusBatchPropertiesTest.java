package io.agenthub.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agenthub.bus.PresenceChanged;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Properties of status batching, on many generated runs of presence changes fed through the gateway's rule (a batch
 * that does not accept the next change is sent first): no batch holds two changes of one agent, its list is the
 * latest change's, and the batches together carry every change in order.
 */
class StatusBatchPropertiesTest {
  @ParameterizedTest(name = "seed {0}")
  @MethodSource("io.agenthub.support.Seeds#seeds")
  void batchesNeverHoldTwoChangesOfOneAgentAndCarryTheLatestList(long seed) {
    Random random = new Random(seed);
    List<PresenceChanged> announcements = new ArrayList<>();
    int count = 1 + random.nextInt(40);
    for (int i = 0; i < count; i++) {
      announcements.add(announcement(random, i));
    }

    List<PresenceChanged> sent = new ArrayList<>();
    List<List<PresenceChanged>> taken = new ArrayList<>();
    StatusBatch batch = null;
    for (PresenceChanged announcement : announcements) {
      if (batch != null && !batch.accepts(announcement)) {
        sent.add(batch.toChange());
        batch = null;
      }
      if (batch == null) {
        batch = new StatusBatch();
        taken.add(new ArrayList<>());
      }
      batch.add(announcement);
      taken.get(taken.size() - 1).add(announcement);
    }
    sent.add(batch.toChange());

    JsonArray allChanges = new JsonArray();
    for (int b = 0; b < sent.size(); b++) {
      PresenceChanged broadcast = sent.get(b);
      List<PresenceChanged> members = taken.get(b);
      PresenceChanged latest = members.get(members.size() - 1);
      assertEquals(latest.agents(), broadcast.agents(), "seed " + seed + ": latest list");
      Set<String> ids = new HashSet<>();
      for (Object change : broadcast.changed()) {
        assertTrue(ids.add(((JsonObject) change).getString("agent_id")), "seed " + seed + ": two changes of one agent");
      }
      allChanges.addAll(broadcast.changed());
    }
    JsonArray expected = new JsonArray();
    announcements.forEach(a -> expected.addAll(a.changed()));
    assertEquals(expected, allChanges, "seed " + seed + ": every change sent once, in order");
  }

  /** One to three of six agents changed; the list stands for the full list after this change. */
  private static PresenceChanged announcement(Random random, int index) {
    JsonArray changed = new JsonArray();
    Set<String> ids = new HashSet<>();
    int agents = 1 + random.nextInt(3);
    for (int i = 0; i < agents; i++) {
      String id = "agent_0000000" + random.nextInt(6);
      if (ids.add(id)) {
        changed.add(new JsonObject().put("agent_id", id).put("is_online", random.nextBoolean()).put("n", index));
      }
    }
    return new PresenceChanged(new JsonArray().add(new JsonObject().put("list_after", index)), changed);
  }
}
