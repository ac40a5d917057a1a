package io.agenthub.gateway.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agenthub.support.Await;
import io.agenthub.support.GatewayFixture;
import io.agenthub.support.WsClient;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Protocol extension "credentials" on the gateway alone: agents and brokers need a token when tokens are configured,
 * frontends here do not; a refused registration never reaches presence. {@code CredentialsTest} checks the
 * companions' tokens against a whole hub.
 */
class CredentialsBusTest {
  @RegisterExtension
  static final GatewayFixture GATEWAY = GatewayFixture.perTest(new JsonObject()
      .put("AGENT_TOKENS", "agent-secret-1, agent-secret-2").put("BROKER_TOKENS", "broker-secret"));

  @Test
  void agentWithoutTokenIsRefusedAndMayRetryWithOne() throws Exception {
    try (WsClient agent = WsClient.connect(GATEWAY.port())) {
      agent.send(registerAgent());
      JsonObject refusal = agent.next();
      assertEquals("ERROR", refusal.getString("message_type"));
      assertEquals("UNAUTHORIZED", refusal.getString("error_code"));
      assertEquals("A valid token is required to register as Agent", refusal.getString("text_payload"));
      assertEquals(0, GATEWAY.registrations().size(), "presence never heard of the refused agent");
      agent.send(registerAgent().put("token", "agent-secret-2"));
      assertTrue(agent.next().getString("agent_id").startsWith("agent_"), "registered on the same socket");
    }
  }

  @Test
  void wrongTokenOrAnotherRolesTokenIsRefused() throws Exception {
    try (WsClient agent = WsClient.connect(GATEWAY.port())) {
      for (String token : new String[] {"agent-secret", "broker-secret", "", "agent-secret-1 "}) {
        agent.send(registerAgent().put("token", token));
        assertEquals("UNAUTHORIZED", agent.next().getString("error_code"), token);
      }
    }
    assertEquals(0, GATEWAY.registrations().size());
  }

  @Test
  void bearerHeaderOnTheUpgradeRequestCounts() throws Exception {
    try (WsClient broker = WsClient.connect(GATEWAY.port(), Map.of("Authorization", "Bearer broker-secret"))) {
      broker.send(new JsonObject().put("message_type", "REGISTER_BROKER").put("broker_name", "Trusted"));
      assertEquals("REGISTER_BROKER_RESPONSE", broker.next().getString("message_type"));
    }
  }

  @Test
  void aTokenInTheRegistrationWinsOverTheHeader() throws Exception {
    try (WsClient broker = WsClient.connect(GATEWAY.port(), Map.of("Authorization", "Bearer broker-secret"))) {
      broker.send(new JsonObject().put("message_type", "REGISTER_BROKER").put("broker_name", "Confused")
          .put("token", "agent-secret-1"));
      assertEquals("UNAUTHORIZED", broker.next().getString("error_code"));
    }
  }

  @Test
  void rolesWithoutTokensStayOpenAndTokensChangeLive() throws Exception {
    try (WsClient frontend = WsClient.register(GATEWAY.port(), "frontend", "Open UI")) {
      assertTrue(frontend.id().startsWith("web_"));
    }
    GATEWAY.changeSettings(new JsonObject().put("FRONTEND_TOKENS", "ui-secret"));
    Await.until("frontends need a token", WsClient.TIMEOUT, () -> {
      try (WsClient frontend = WsClient.connect(GATEWAY.port())) {
        frontend.send(new JsonObject().put("message_type", "REGISTER_FRONTEND").put("frontend_name", "UI"));
        return "UNAUTHORIZED".equals(frontend.next().getString("error_code"));
      }
    });
    try (WsClient frontend = WsClient.connect(GATEWAY.port(), Map.of("Authorization", "Bearer ui-secret"))) {
      frontend.send(new JsonObject().put("message_type", "REGISTER_FRONTEND").put("frontend_name", "UI"));
      assertEquals("REGISTER_FRONTEND_RESPONSE", frontend.next().getString("message_type"));
    }
  }

  private static JsonObject registerAgent() {
    return new JsonObject().put("message_type", "REGISTER_AGENT").put("agent_name", "Guarded");
  }
}
