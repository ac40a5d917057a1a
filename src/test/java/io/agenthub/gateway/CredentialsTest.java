package io.agenthub.gateway;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agenthub.companion.CompanionSettings;
import io.agenthub.companion.EchoAgentCompanion;
import io.agenthub.support.HubExtension;
import io.agenthub.support.Integration;
import io.agenthub.support.TestHub;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Protocol extension "credentials" end to end: the reference agent presents its hub token, and without one is refused.
 * The token rules themselves are checked on the gateway alone ({@code gateway.policy.CredentialsBusTest}).
 */
@Integration
class CredentialsTest {
  @RegisterExtension
  static final HubExtension HUB = HubExtension.perClass("credentials",
      new JsonObject().put("AGENT_TOKENS", "agent-secret-1, agent-secret-2"));

  @Test
  void companionsPresentHubToken() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      String url = "ws://127.0.0.1:" + HUB.port() + "/ws";
      String vhost = HUB.rabbit().name();
      CompanionSettings withoutToken = new CompanionSettings(url, "127.0.0.1", 5672, "guest", "guest", vhost);
      CompanionSettings withToken =
          new CompanionSettings(url, "127.0.0.1", 5672, "guest", "guest", vhost, "agent-secret-1");
      Throwable refused = assertThrows(ExecutionException.class,
          () -> TestHub.await(EchoAgentCompanion.start(vertx, withoutToken, "Anonymous"))).getCause();
      assertTrue(refused.getMessage().contains("A valid token is required"), refused.getMessage());
      EchoAgentCompanion agent = TestHub.await(EchoAgentCompanion.start(vertx, withToken, "Credentialed"));
      assertTrue(agent.agentId().startsWith("agent_"));
    } finally {
      TestHub.await(vertx.close());
    }
  }
}
