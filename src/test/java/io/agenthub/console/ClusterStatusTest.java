package io.agenthub.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agenthub.support.Await;
import io.agenthub.support.ClusterNodes;
import io.agenthub.support.ClusterTest;
import io.agenthub.support.Http;
import io.agenthub.support.RabbitVhost;
import io.agenthub.support.TestHub;
import io.agenthub.support.WsClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** {@code GET /api/status} on one instance of a two-instance cluster describes both. */
@ClusterTest
class ClusterStatusTest {

  @Test
  void eitherInstanceDescribesTheWholeCluster() throws Exception {
    try (RabbitVhost rabbit = RabbitVhost.create("cluster-status")) {
      int portA = ClusterNodes.freePort();
      int portB = ClusterNodes.freePort();
      List<Integer> members = List.of(portA, portB);
      try (TestHub a = ClusterNodes.startInJvm(rabbit, portA, members, new JsonObject())) {
        String nodeA = a.nodeId();
        TestHub b = ClusterNodes.startInJvm(rabbit, portB, members, new JsonObject());
        String nodeB = b.nodeId();
        try (WsClient onA = WsClient.register(a.port(), "frontend", "OnA");
            WsClient onB = WsClient.register(b.port(), "frontend", "OnB");
            WsClient agent = WsClient.register(b.port(), "agent", "HeldByB")) {
          JsonObject status = Http.getJson(a.port(), "/api/status");
          assertTrue(status.getBoolean("clustered"));
          assertEquals(nodeB, find(status.getJsonArray("agents"), "agent_id", agent.id()).getString("node_id"));
          JsonArray instances = status.getJsonArray("instances");
          assertEquals(Set.of(nodeA, nodeB), nodeIds(instances));
          assertEquals("OnA", find(find(instances, "node_id", nodeA).getJsonArray("frontends"), "frontend_id", onA.id())
              .getString("frontend_name"));
          assertEquals("OnB", find(find(instances, "node_id", nodeB).getJsonArray("frontends"), "frontend_id", onB.id())
              .getString("frontend_name"));
          assertEquals(1, find(instances, "node_id", nodeB).getJsonObject("connections").getInteger("agent"));
          assertEquals(status.getJsonArray("agents"), Http.getJson(b.port(), "/api/status").getJsonArray("agents"),
              "both instances read the same records");

          b.close();
          Await.until("the departed instance gone from the status", Duration.ofSeconds(30), () ->
              nodeIds(Http.getJson(a.port(), "/api/status").getJsonArray("instances")).equals(Set.of(nodeA)));
          JsonObject after = Http.getJson(a.port(), "/api/status");
          assertTrue(!find(after.getJsonArray("agents"), "agent_id", agent.id()).getBoolean("is_online"),
              "its agent is offline");
        }
      }
    }
  }

  private static Set<String> nodeIds(JsonArray instances) {
    return instances.stream().map(JsonObject.class::cast).map(i -> i.getString("node_id")).collect(Collectors.toSet());
  }

  private static JsonObject find(JsonArray list, String idField, String id) {
    return list.stream().map(JsonObject.class::cast).filter(o -> id.equals(o.getString(idField))).findFirst()
        .orElseThrow(() -> new AssertionError(id + " not in " + list.encode()));
  }
}
