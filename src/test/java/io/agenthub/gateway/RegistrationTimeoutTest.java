package io.agenthub.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.agenthub.support.HubExtension;
import io.agenthub.support.Integration;
import io.agenthub.support.WsClient;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A socket that never registers is closed with 1008 "Registration timeout" on a whole hub; a registered one is left
 * alone. That other frames and refused registrations do not keep a socket open is checked on the gateway alone
 * ({@code gateway.policy.RegistrationTimeoutBusTest}).
 */
@Integration
class RegistrationTimeoutTest {
  @RegisterExtension
  static final HubExtension HUB = HubExtension.perClass("registration-timeout",
      new JsonObject().put("REGISTRATION_TIMEOUT", 0.5));

  @Test
  void anUnregisteredSocketIsClosedAndARegisteredOneStays() throws Exception {
    try (WsClient registered = WsClient.register(HUB.port(), "agent", "Punctual");
         WsClient silent = WsClient.connect(HUB.port())) {
      assertEquals(1008, silent.awaitClose());
      registered.send(new JsonObject().put("message_type", "PING"));
      registered.next("PONG");
    }
  }
}
