package io.agenthub.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.agenthub.support.HubExtension;
import io.agenthub.support.Integration;
import io.agenthub.support.WsClient;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A socket that never registers is closed with 1008 "Registration timeout"; a registered one is left alone. */
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

  @Test
  void framesOtherThanARegistrationDoNotKeepASocketOpen() throws Exception {
    try (WsClient chatty = WsClient.connect(HUB.port())) {
      chatty.sendUnchecked(new JsonObject().put("message_type", "PING"));
      assertEquals("NOT_REGISTERED", chatty.next("ERROR").getString("error_code"));
      assertEquals(1008, chatty.awaitClose());
    }
  }
}
