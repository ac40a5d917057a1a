package io.agenthub.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agenthub.support.Await;
import io.agenthub.support.Integration;
import io.agenthub.support.WsClient;
import io.agenthub.support.HubExtension;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Registrations from one address beyond REGISTRATION_RATE_LIMIT and its burst are refused; the socket may retry, on a
 * whole hub, in real time. The other rate-limit cases run on the gateway alone with a manual clock
 * ({@code gateway.policy.RateLimitBusTest}).
 */
@Integration
class RegistrationRateLimitTest {
  private static final int BURST = 3;

  @RegisterExtension
  static final HubExtension HUB = HubExtension.perClass("registration-rate", new JsonObject()
      .put("REGISTRATION_RATE_LIMIT", 1).put("REGISTRATION_RATE_BURST", BURST));

  @Test
  void registrationsBeyondTheBurstAreRefusedAndTheSocketStaysUnregisteredUntilARetrySucceeds() throws Exception {
    List<WsClient> admitted = new ArrayList<>();
    try (WsClient refused = WsClient.connect(HUB.port())) {
      for (int i = 0; i < BURST; i++) {
        admitted.add(WsClient.register(HUB.port(), "agent", "Agent " + i));
      }
      refused.send(registration());
      JsonObject error = refused.next();
      assertEquals("RATE_LIMITED", error.getString("error_code"), error.encode());
      assertTrue(error.getString("text_payload").startsWith("Too many registrations from 127.0.0.1"), error.encode());
      refused.sendUnchecked(new JsonObject().put("message_type", "PING"));
      assertEquals("NOT_REGISTERED", refused.next("ERROR").getString("error_code"), "still unregistered");
      assertTrue(refused.isOpen());

      Await.until("a retry is admitted once the address's bucket refilled", WsClient.TIMEOUT, () -> {
        refused.send(registration());
        return "REGISTER_AGENT_RESPONSE".equals(refused.next().getString("message_type"));
      });
    } finally {
      admitted.forEach(WsClient::close);
    }
  }

  private static JsonObject registration() {
    return new JsonObject().put("message_type", "REGISTER_AGENT").put("agent_name", "Patient");
  }
}
