package io.agenthub.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agenthub.companion.CompanionSettings;
import io.agenthub.companion.EchoAgentCompanion;
import io.agenthub.support.Await;
import io.agenthub.support.HubExtension;
import io.agenthub.support.Integration;
import io.agenthub.support.TestHub;
import io.agenthub.support.WsClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Protocol extension "credentials": agents and brokers need a token when tokens are configured; frontends here do not. */
@Integration
class CredentialsTest {
  @RegisterExtension
  static final HubExtension HUB = HubExtension.perTest("credentials", new JsonObject()
      .put("AGENT_TOKENS", "agent-secret-1, agent-secret-2").put("BROKER_TOKENS", "broker-secret"));

  @Test
  void agentWithoutTokenIsRefusedAndMayRetryWithOne() throws Exception {
    try (WsClient agent = WsClient.connect(HUB.port())) {
      agent.send(registerAgent());
      JsonObject refusal = agent.next();
      assertEquals("ERROR", refusal.getString("message_type"));
      assertEquals("UNAUTHORIZED", refusal.getString("error_code"));
      agent.send(registerAgent().put("token", "agent-secret-2"));
      assertTrue(agent.next().getString("agent_id").startsWith("agent_"), "registered on the same socket");
    }
  }

  @Test
  void wrongTokenOrAnotherRolesTokenIsRefused() throws Exception {
    try (WsClient agent = WsClient.connect(HUB.port())) {
      for (String token : new String[] {"agent-secret", "broker-secret", ""}) {
        agent.send(registerAgent().put("token", token));
        assertEquals("UNAUTHORIZED", agent.next().getString("error_code"), token);
      }
    }
  }

  @Test
  void bearerHeaderOnTheUpgradeRequestCounts() throws Exception {
    try (WsClient broker = WsClient.connect(HUB.port(), Map.of("Authorization", "Bearer broker-secret"))) {
      broker.send(new JsonObject().put("message_type", "REGISTER_BROKER").put("broker_name", "Trusted"));
      assertEquals("REGISTER_BROKER_RESPONSE", broker.next().getString("message_type"));
    }
  }

  @Test
  void rolesWithoutTokensStayOpenAndTokensChangeLive() throws Exception {
    try (WsClient frontend = WsClient.register(HUB.port(), "frontend", "Open UI")) {
      assertTrue(frontend.id().startsWith("web_"));
    }
    Files.writeString(HUB.hub().confDir().resolve("zz-live.json"),
        new JsonObject().put("FRONTEND_TOKENS", "ui-secret").encode());
    Await.until("frontends need a token", Duration.ofSeconds(10), () -> {
      try (WsClient frontend = WsClient.connect(HUB.port())) {
        frontend.send(new JsonObject().put("message_type", "REGISTER_FRONTEND").put("frontend_name", "UI"));
        return "UNAUTHORIZED".equals(frontend.next().getString("error_code"));
      }
    });
  }

  @Test
  void companionsPresentHubToken() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      String url = "ws://127.0.0.1:" + HUB.port() + "/ws";
      CompanionSettings withoutToken = new CompanionSettings(url, "127.0.0.1", 5672, "guest", "guest", HUB.rabbit().name());
      CompanionSettings withToken = new CompanionSettings(url, "127.0.0.1", 5672, "guest", "guest", HUB.rabbit().name(),
          "agent-secret-1");
      Throwable refused = assertThrows(ExecutionException.class,
          () -> TestHub.await(EchoAgentCompanion.start(vertx, withoutToken, "Anonymous"))).getCause();
      assertTrue(refused.getMessage().contains("A valid token is required"), refused.getMessage());
      EchoAgentCompanion agent = TestHub.await(EchoAgentCompanion.start(vertx, withToken, "Credentialed"));
      assertTrue(agent.agentId().startsWith("agent_"));
    } finally {
      TestHub.await(vertx.close());
    }
  }

  private static JsonObject registerAgent() {
    return new JsonObject().put("message_type", "REGISTER_AGENT").put("agent_name", "Guarded");
  }
}
