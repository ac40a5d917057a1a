package io.agenthub.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agenthub.support.Await;
import io.agenthub.support.HubExtension;
import io.agenthub.support.Integration;
import io.agenthub.support.WsClient;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What one address may register, on a whole hub, in real time: a crowd of frontends that stay is never refused; new
 * agent identities beyond REGISTRATION_RATE_BURST are, with RATE_LIMITED and {@code retry_after_ms}, and the socket
 * may register once that has passed. The other admission cases run on the gateway alone with a manual clock
 * ({@code gateway.policy.AdmissionBusTest}).
 */
@Integration
class RegistrationRateLimitTest {
  private static final int BURST = 3;

  @RegisterExtension
  static final HubExtension HUB = HubExtension.perClass("registration-rate", new JsonObject()
      .put("REGISTRATION_RATE_LIMIT", 1).put("REGISTRATION_RATE_BURST", BURST));

  /**
   * New agents are registered until one is refused: in real time the allowance refills (1 per second) while they
   * register, so a slow machine may need a few more than the burst.
   */
  @Test
  void aCrowdRegistersButNewAgentsBeyondTheBurstWaitAsLongAsTheHubSays() throws Exception {
    List<WsClient> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < 10 * BURST; i++) {
        sockets.add(WsClient.register(HUB.port(), "frontend", "Tab " + i));
      }
      WsClient agent = null;
      JsonObject error = null;
      for (int i = 0; i < 10 * BURST && error == null; i++) {
        agent = WsClient.connect(HUB.port());
        sockets.add(agent);
        agent.send(registration());
        JsonObject answer = agent.next();
        assertTrue(i >= BURST || "REGISTER_AGENT_RESPONSE".equals(answer.getString("message_type")),
            "the first " + BURST + " new agents are admitted: " + answer.encode());
        error = "ERROR".equals(answer.getString("message_type")) ? answer : null;
      }
      assertNotNull(error, "no new agent was refused");
      assertEquals("RATE_LIMITED", error.getString("error_code"), error.encode());
      assertTrue(error.getString("text_payload").startsWith("Too many registrations from 127.0.0.1"), error.encode());
      long retryAfterMs = error.getLong("retry_after_ms");
      assertTrue(retryAfterMs > 0 && retryAfterMs <= 1000, error.encode());
      agent.sendUnchecked(new JsonObject().put("message_type", "PING"));
      assertEquals("NOT_REGISTERED", agent.next("ERROR").getString("error_code"), "still unregistered");

      long retryAt = System.nanoTime() + retryAfterMs * 1_000_000;
      Await.until("the time the hub named has passed", WsClient.TIMEOUT, () -> System.nanoTime() >= retryAt);
      agent.send(registration());
      assertEquals("REGISTER_AGENT_RESPONSE", agent.next().getString("message_type"));
    } finally {
      sockets.forEach(WsClient::close);
    }
  }

  private static JsonObject registration() {
    return new JsonObject().put("message_type", "REGISTER_AGENT").put("agent_name", "Patient");
  }
}
