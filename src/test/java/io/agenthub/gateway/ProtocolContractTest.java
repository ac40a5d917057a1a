package io.agenthub.gateway;

import static io.agenthub.support.Messages.findAgent;
import static io.agenthub.support.Messages.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agenthub.support.HubExtension;
import io.agenthub.support.Integration;
import io.agenthub.support.RabbitVhost;
import io.agenthub.support.WsClient;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Part 1 of the protocol, registration and the WebSocket side of chat, against a real hub, on the real RabbitMQ
 * ({@link ProtocolContractOnRabbitMqTest}) and on the hub's embedded broker
 * ({@link ProtocolContractOnEmbeddedBrokerTest}).
 */
@Integration
abstract class ProtocolContractTest {
  @RegisterExtension
  static final HubExtension HUB = HubExtension.perClass("contract", new JsonObject());

  @ParameterizedTest
  @CsvSource({"frontend,ChatUI,web_", "agent,Echo,agent_", "broker,BrokerService,broker_"})
  void registrationIsAnsweredFirstWithTheContractResponse(String role, String name, String prefix) throws Exception {
    try (WsClient client = WsClient.connect(HUB.port())) {
      String upper = role.toUpperCase();
      client.send(new JsonObject().put("message_type", "REGISTER_" + upper).put(role + "_name", name));
      JsonObject response = client.next();
      String id = response.getString(role + "_id");
      assertTrue(id.matches(prefix + "[0-9a-f]{8}"), id);
      assertEquals(new JsonObject()
          .put("message_type", "REGISTER_" + upper + "_RESPONSE")
          .put("status", "success")
          .put(role + "_id", id)
          .put(role + "_name", name)
          .put("message", Character.toUpperCase(role.charAt(0)) + role.substring(1) + " registered successfully"),
          response);
    }
  }

  @Test
  void frontendAndBrokerGetAFullStatusUpdateAfterRegistering() throws Exception {
    try (WsClient agent = WsClient.register(HUB.port(), "agent", "Listed");
         WsClient frontend = WsClient.connect(HUB.port())) {
      frontend.send(new JsonObject().put("message_type", "REGISTER_FRONTEND").put("frontend_name", "ChatUI"));
      assertEquals("REGISTER_FRONTEND_RESPONSE", frontend.next().getString("message_type"));
      JsonObject update = frontend.next();
      assertEquals("AGENT_STATUS_UPDATE", update.getString("message_type"));
      assertTrue(update.getBoolean("is_full_update"));
      JsonObject listed = findAgent(update.getJsonArray("agents"), agent.id());
      assertEquals("Listed", listed.getString("agent_name"));
      assertTrue(listed.getBoolean("is_online"));
      assertTrue(listed.getString("last_seen").matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d.*"));
      assertEquals(4, listed.size(), "agent entries carry exactly the contract's four fields: " + listed);
    }
  }

  @Test
  void agentRegistrationIsAnnouncedToFrontendsAndBrokers() throws Exception {
    try (WsClient frontend = WsClient.register(HUB.port(), "frontend", "Watcher");
         WsClient broker = WsClient.register(HUB.port(), "broker", "Broker")) {
      try (WsClient agent = WsClient.register(HUB.port(), "agent", "Announced")) {
        for (WsClient watcher : new WsClient[] {frontend, broker}) {
          JsonObject update = watcher.next(f -> "AGENT_STATUS_UPDATE".equals(f.getString("message_type"))
              && findAgent(f.getJsonArray("agents"), agent.id()) != null, WsClient.TIMEOUT);
          assertTrue(findAgent(update.getJsonArray("agents"), agent.id()).getBoolean("is_online"));
        }
      }
      JsonObject offline = frontend.next(f -> "AGENT_STATUS_UPDATE".equals(f.getString("message_type"))
          && f.getJsonArray("agents").stream().map(JsonObject.class::cast)
              .anyMatch(a -> "Announced".equals(a.getString("agent_name")) && !a.getBoolean("is_online")),
          WsClient.TIMEOUT);
      assertNotNull(offline, "a closed agent is announced offline and stays listed");
    }
  }

  @ParameterizedTest
  @CsvSource({"frontend,Frontend", "agent,Agent", "broker,Broker"})
  void registrationWithoutNameIsRefusedAndLeavesTheSocketUnregistered(String role, String display) throws Exception {
    try (WsClient client = WsClient.connect(HUB.port())) {
      client.sendUnchecked(new JsonObject().put("message_type", "REGISTER_" + role.toUpperCase()));
      JsonObject error = client.next();
      assertEquals("ERROR", error.getString("message_type"));
      assertEquals(display + " name is required for registration", error.getString("text_payload"));
      assertEquals("NAME_REQUIRED", error.getString("error_code"));
      client.sendUnchecked(text("still there?"));
      assertEquals("Client must register first", client.next().getString("text_payload"));
    }
  }

  @Test
  void anyOtherFrameBeforeRegistrationIsRefused() throws Exception {
    try (WsClient client = WsClient.connect(HUB.port())) {
      client.sendUnchecked(new JsonObject().put("message_type", "PING"));
      JsonObject error = client.next();
      assertEquals("ERROR", error.getString("message_type"));
      assertEquals("Client must register first", error.getString("text_payload"));
      assertEquals("NOT_REGISTERED", error.getString("error_code"));
    }
  }

  @Test
  void invalidJsonIsAnsweredAndTheSocketStaysUsable() throws Exception {
    try (WsClient client = WsClient.connect(HUB.port())) {
      client.sendText("{not json");
      JsonObject error = client.next();
      assertEquals("Invalid JSON format", error.getString("text_payload"));
      assertEquals("INVALID_JSON", error.getString("error_code"));
      client.send(new JsonObject().put("message_type", "REGISTER_FRONTEND").put("frontend_name", "After"));
      assertEquals("REGISTER_FRONTEND_RESPONSE", client.next().getString("message_type"));
    }
  }

  @Test
  void agentMayResumeItsIdOnlyWhileItIsOffline() throws Exception {
    String agentId;
    try (WsClient first = WsClient.register(HUB.port(), "agent", "Phoenix");
         WsClient usurper = WsClient.connect(HUB.port())) {
      agentId = first.id();
      usurper.send(new JsonObject().put("message_type", "REGISTER_AGENT").put("agent_name", "Phoenix")
          .put("agent_id", agentId));
      assertEquals("AGENT_ID_IN_USE", usurper.next().getString("error_code"));
    }
    try (WsClient watcher = WsClient.register(HUB.port(), "frontend", "Watcher");
         WsClient again = WsClient.connect(HUB.port())) {
      watcher.next(f -> io.agenthub.support.Messages.statusShows(f, agentId, false), WsClient.TIMEOUT);
      again.send(new JsonObject().put("message_type", "REGISTER_AGENT").put("agent_name", "Phoenix")
          .put("agent_id", agentId));
      assertEquals(agentId, again.next().getString("agent_id"));
      watcher.next(f -> io.agenthub.support.Messages.statusShows(f, agentId, true), WsClient.TIMEOUT);
    }
  }

  @Test
  void clientPingIsAnsweredByTheServer() throws Exception {
    try (WsClient frontend = WsClient.register(HUB.port(), "frontend", "Pinger")) {
      frontend.send(new JsonObject().put("message_type", "PING"));
      assertEquals(new JsonObject().put("message_type", "PONG").put("sender_id", "server"), frontend.next("PONG"));
    }
  }

  @Test
  void onlyBrokersMayRequestAgentStatus() throws Exception {
    try (WsClient frontend = WsClient.register(HUB.port(), "frontend", "Curious");
         WsClient broker = WsClient.register(HUB.port(), "broker", "Asker")) {
      frontend.sendUnchecked(new JsonObject().put("message_type", "REQUEST_AGENT_STATUS"));
      JsonObject refusal = frontend.next("ERROR");
      assertEquals("Only the broker can request agent status.", refusal.getString("text_payload"));
      assertEquals("server", refusal.getString("sender_id"));
      assertEquals("FORBIDDEN", refusal.getString("error_code"));

      broker.next("AGENT_STATUS_UPDATE");
      broker.send(new JsonObject().put("message_type", "REQUEST_AGENT_STATUS"));
      JsonObject update = broker.next("AGENT_STATUS_UPDATE");
      assertTrue(update.getBoolean("is_full_update"));
    }
  }

  @Test
  void chatIsStampedWithTheSendersIdentityAndPublishedToTheBrokerQueue() throws Exception {
    try (WsClient frontend = WsClient.register(HUB.port(), "frontend", "Sender");
         WsClient watcher = WsClient.register(HUB.port(), "frontend", "Watcher")) {
      JsonObject message = text("hello").put("custom_field", new JsonObject().put("kept", true))
          .put("sender_id", "web_00000000").put("_client_id", "agent_00000000").put("_connection_type", "broker")
          .put("_broadcast", true);
      frontend.send(message);
      JsonObject published = HUB.rabbit().takeJson("broker_input_queue", WsClient.TIMEOUT);
      assertNotNull(published, "the message reached broker_input_queue");
      assertEquals(frontend.id(), published.getString("sender_id"), "a client cannot claim another sender_id");
      assertEquals(frontend.id(), published.getString("_client_id"));
      assertEquals("frontend", published.getString("_connection_type"));
      assertFalse(published.containsKey("_broadcast"));
      assertEquals("hello", published.getString("text_payload"));
      assertEquals(message.getString("message_id"), published.getString("message_id"));
      assertEquals(new JsonObject().put("kept", true), published.getJsonObject("custom_field"));

      JsonObject copy = watcher.next("TEXT");
      assertEquals(published, copy, "monitoring copies carry the message as published");
    }
  }

  @Test
  void publishedMessagesArePersistentJson() throws Exception {
    try (WsClient agent = WsClient.register(HUB.port(), "agent", "Persistent")) {
      agent.send(text("durable"));
      RabbitVhost.Received received = HUB.rabbit().take("broker_input_queue", WsClient.TIMEOUT);
      assertEquals(2, received.properties().getDeliveryMode());
      assertEquals("application/json", received.properties().getContentType());
      assertEquals("agent", received.json().getString("_connection_type"));
    }
  }

  @Test
  void rootProbeSaysTheServerIsRunning() throws Exception {
    HttpResponse<String> response = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + HUB.port() + "/")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode());
    assertEquals("running", new JsonObject(response.body()).getString("status"));
  }

  @Test
  void readinessReportsTheRabbitMqConnection() throws Exception {
    HttpResponse<String> response = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + HUB.port() + "/health/ready")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), response.body());
    JsonObject ready = new JsonObject(response.body());
    JsonObject rabbitmq = ready.getJsonObject("rabbitmq");
    assertTrue(rabbitmq.getBoolean("connected"));
    assertEquals(HUB.rabbit().isEmbedded() ? "embedded" : "external", rabbitmq.getString("broker"));
    assertEquals("UP", ready.getString("status"));
    assertEquals("UP", ready.getString("outcome"));
    assertEquals(Set.of("rabbitmq", "config", "connections"), ready.getJsonArray("checks").stream()
        .map(JsonObject.class::cast).map(check -> check.getString("id")).collect(Collectors.toSet()));
    for (Object check : ready.getJsonArray("checks")) {
      JsonObject one = (JsonObject) check;
      assertEquals("UP", one.getString("status"), one.encode());
      assertEquals(ready.getJsonObject(one.getString("id")), one.getJsonObject("data"),
          "each check's data stands at the top level too, where clients read it");
    }
  }

  @ParameterizedTest
  @CsvSource({"/health", "/health/live"})
  void livenessSaysUpWhileTheHubServesHttp(String path) throws Exception {
    HttpResponse<String> response = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + HUB.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), response.body());
    assertEquals("UP", new JsonObject(response.body()).getString("status"));
  }
}
