package io.agenthub.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agenthub.support.Await;
import io.agenthub.support.Http;
import io.agenthub.support.HubExtension;
import io.agenthub.support.Integration;
import io.agenthub.support.RabbitVhost;
import io.agenthub.support.TestHub;
import io.agenthub.support.WsClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code GET /api/status} and the console's static files, over real HTTP against a real hub. */
@Integration
class ApiStatusTest {
  @RegisterExtension
  static final HubExtension HUB = HubExtension.perClass("api-status", new JsonObject());

  @Test
  void listsAgentsAndBrokersWithTheirInstanceAndTheInstancesClients() throws Exception {
    try (WsClient frontend = WsClient.register(HUB.port(), "frontend", "Watcher");
        WsClient broker = WsClient.register(HUB.port(), "broker", "Router")) {
      String agentId;
      try (WsClient agent = WsClient.register(HUB.port(), "agent", "Listed")) {
        agentId = agent.id();
        JsonObject status = Http.getJson(HUB.port(), "/api/status");
        assertEquals("test-node", status.getString("node_id"));
        assertFalse(status.getBoolean("clustered"));
        JsonObject listed = find(status.getJsonArray("agents"), "agent_id", agentId);
        assertEquals("Listed", listed.getString("agent_name"));
        assertTrue(listed.getBoolean("is_online"));
        assertEquals("test-node", listed.getString("node_id"));
        assertFalse(listed.containsKey("revision") || listed.containsKey("connected"), "presence's own keys stay out");
        JsonObject router = find(status.getJsonArray("brokers"), "broker_id", broker.id());
        assertEquals("Router", router.getString("broker_name"));
        assertTrue(router.getBoolean("is_online"));

        JsonObject instance = status.getJsonArray("instances").getJsonObject(0);
        assertEquals(1, status.getJsonArray("instances").size());
        assertEquals("test-node", instance.getString("node_id"));
        assertTrue(instance.getBoolean("ready"));
        assertTrue(instance.getJsonObject("rabbitmq").getString("target").endsWith(HUB.rabbit().name()));
        assertNotNull(instance.getJsonObject("config").getString("applied_at"));
        assertEquals(1, instance.getJsonObject("connections").getInteger("agent"));
        assertEquals("Watcher", find(instance.getJsonArray("frontends"), "frontend_id", frontend.id())
            .getString("frontend_name"));
        assertEquals("Router", find(instance.getJsonArray("brokers"), "broker_id", broker.id())
            .getString("broker_name"));
        JsonObject counters = instance.getJsonObject("counters");
        for (String total : new String[] {"messages_forwarded_total", "messages_routed_total",
            "messages_dead_lettered_total", "errors_sent_total"}) {
          assertTrue(counters.getValue(total) instanceof Number, total + " in " + counters);
        }
      }
      Await.until("the agent offline in the status", Duration.ofSeconds(10), () -> !find(
          Http.getJson(HUB.port(), "/api/status").getJsonArray("agents"), "agent_id", agentId).getBoolean("is_online"));
    }
  }

  @Test
  void errorsSentAndDeadLettersAreCounted() throws Exception {
    long errorsBefore = counter("errors_sent_total");
    try (WsClient client = WsClient.connect(HUB.port())) {
      client.sendText("not json");
      client.next("ERROR");
    }
    assertTrue(counter("errors_sent_total") > errorsBefore, "the refusal is counted before it is sent");

    long deadBefore = counter("messages_dead_lettered_total");
    HUB.rabbit().publish("broker_output_queue", new JsonObject().put("message_type", "TEXT")
        .put("message_id", "for-nobody").put("sender_id", "agent_00000000").put("receiver_id", "web_00000000")
        .put("text_payload", "is anyone there?"));
    Await.until("the dead letter counted", Duration.ofSeconds(10),
        () -> counter("messages_dead_lettered_total") > deadBefore);
  }

  @Test
  void frontendTokensGuardTheStatus() throws Exception {
    try (RabbitVhost rabbit = RabbitVhost.create("api-status-tokens");
        TestHub hub = TestHub.start(rabbit, new JsonObject().put("FRONTEND_TOKENS", "front-secret,other"))) {
      HttpResponse<String> anonymous = Http.get(hub.port(), "/api/status");
      assertEquals(401, anonymous.statusCode());
      assertTrue(anonymous.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
      assertEquals(401, withBearer(hub.port(), "wrong").statusCode());
      HttpResponse<String> allowed = withBearer(hub.port(), "other");
      assertEquals(200, allowed.statusCode());
      assertFalse(allowed.body().contains("front-secret") || allowed.body().contains("\"other\""),
          "no token in the status");
      assertEquals(200, Http.get(hub.port(), "/console/").statusCode(), "the page itself loads, then asks for a token");
      assertEquals(401, Http.get(hub.port(), "/api/agents").statusCode(), "the agents' details are guarded alike");
      assertEquals(401, Http.get(hub.port(), "/api/agents/agent_00000000/card").statusCode());
    }
  }

  @Test
  void consoleIsServedFromTheJarWithAStrictPolicy() throws Exception {
    HttpResponse<String> bare = Http.get(HUB.port(), "/console");
    assertEquals(302, bare.statusCode());
    assertEquals("/console/", bare.headers().firstValue("Location").orElse(""));
    HttpResponse<String> page = Http.get(HUB.port(), "/console/");
    assertEquals(200, page.statusCode());
    assertTrue(page.body().contains("Agent Hub console"));
    assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").contains("default-src 'none'"));
    HttpResponse<String> script = Http.get(HUB.port(), "/console/console.js");
    assertEquals(200, script.statusCode());
    assertTrue(script.headers().firstValue("Content-Type").orElse("").contains("javascript"));
    assertEquals(404, Http.get(HUB.port(), "/console/missing.js").statusCode());
  }

  private static long counter(String name) throws Exception {
    return Http.getJson(HUB.port(), "/api/status").getJsonArray("instances").getJsonObject(0)
        .getJsonObject("counters").getLong(name);
  }

  private static HttpResponse<String> withBearer(int port, String token) throws Exception {
    return HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/status"))
            .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonObject find(JsonArray list, String idField, String id) {
    return list.stream().map(JsonObject.class::cast).filter(o -> id.equals(o.getString(idField))).findFirst()
        .orElseThrow(() -> new AssertionError(id + " not in " + list.encode()));
  }
}
