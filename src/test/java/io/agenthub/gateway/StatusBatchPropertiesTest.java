package io.agenthub.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * Properties of status batching, on many generated runs of announcements fed through the gateway's rule (a batch
 * that does not accept the next announcement is sent first): no batch holds two changes of one agent, its frame is
 * the latest announcement it took, all its announcements share their recipients, and the batches together carry
 * every change in order.
 */
class StatusBatchPropertiesTest {
  private static final JsonArray WATCHERS = new JsonArray().add("frontend").add("broker");
  private static final JsonArray BROKERS = new JsonArray().add("broker");

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("io.agenthub.support.Seeds#seeds")
  void batchesNeverHoldTwoChangesOfOneAgentAndCarryTheLatestList(long seed) {
    Random random = new Random(seed);
    List<JsonObject> announcements = new ArrayList<>();
    int count = 1 + random.nextInt(40);
    for (int i = 0; i < count; i++) {
      announcements.add(announcement(random, i));
    }

    List<JsonObject> sent = new ArrayList<>();
    List<List<JsonObject>> taken = new ArrayList<>();
    StatusBatch batch = null;
    for (JsonObject announcement : announcements) {
      if (batch != null && !batch.accepts(announcement)) {
        sent.add(batch.toBroadcast());
        batch = null;
      }
      if (batch == null) {
        batch = new StatusBatch();
        taken.add(new ArrayList<>());
      }
      batch.add(announcement);
      taken.get(taken.size() - 1).add(announcement);
    }
    sent.add(batch.toBroadcast());

    JsonArray allChanges = new JsonArray();
    for (int b = 0; b < sent.size(); b++) {
      JsonObject broadcast = sent.get(b);
      List<JsonObject> members = taken.get(b);
      JsonObject latest = members.get(members.size() - 1);
      assertEquals(latest.getJsonObject("frame"), broadcast.getJsonObject("frame"), "seed " + seed + ": latest list");
      assertTrue(members.stream().allMatch(m -> m.getJsonArray("roles").equals(broadcast.getJsonArray("roles"))),
          "seed " + seed + ": one set of recipients per batch");
      Set<String> ids = new HashSet<>();
      for (Object change : broadcast.getJsonArray("changed")) {
        assertTrue(ids.add(((JsonObject) change).getString("agent_id")), "seed " + seed + ": two changes of one agent");
      }
      allChanges.addAll(broadcast.getJsonArray("changed"));
    }
    JsonArray expected = new JsonArray();
    announcements.forEach(a -> expected.addAll(a.getJsonArray("changed")));
    assertEquals(expected, allChanges, "seed " + seed + ": every change sent once, in order");
  }

  /** One to three of six agents changed; the frame's list stands for the full list after this change. */
  private static JsonObject announcement(Random random, int index) {
    JsonArray changed = new JsonArray();
    Set<String> ids = new HashSet<>();
    int agents = 1 + random.nextInt(3);
    for (int i = 0; i < agents; i++) {
      String id = "agent_0000000" + random.nextInt(6);
      if (ids.add(id)) {
        changed.add(new JsonObject().put("agent_id", id).put("is_online", random.nextBoolean()).put("n", index));
      }
    }
    return new JsonObject()
        .put("roles", random.nextInt(8) == 0 ? BROKERS.copy() : WATCHERS.copy())
        .put("frame", new JsonObject().put("message_type", "AGENT_STATUS_UPDATE").put("list_after", index))
        .put("changed", changed);
  }
}
