package io.agenthub.gateway.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agenthub.bus.RegisterRequest;
import io.agenthub.support.GatewayFixture;
import io.agenthub.support.WsClient;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Names nobody can see or trust are refused at registration with INVALID_NAME, in every role, and the socket may
 * register again with a proper name; a refused name never reaches presence, an accepted one reaches it normalised.
 * {@code HostileNamesTest} checks on a whole hub that no refused name reaches a status list.
 */
class HostileNamesBusTest {
  static final List<String> HOSTILE = List.of("\u200B\u200C\u200D", "\u00A0", "\u0000", "Echo\u0000",
      "\u202Eexe.txt", "a\u2066b\u2069", "server", "SERVER", "agent_1a2b3c4d", "web_deadbeef", "x".repeat(129),
      "bell\u0007", "x\n2026-01-01T00:00:00.000Z ERROR forged");

  @RegisterExtension
  static final GatewayFixture GATEWAY = GatewayFixture.perClass(new JsonObject().put("REGISTRATION_RATE_LIMIT", 0));

  @ParameterizedTest(name = "{0}")
  @CsvSource({"frontend", "agent", "broker"})
  void everyRoleRefusesEveryHostileNameAndTheSocketMayRegisterAgain(String role) throws Exception {
    try (WsClient client = WsClient.connect(GATEWAY.port())) {
      for (String name : HOSTILE) {
        client.sendUnchecked(registration(role, name));
        JsonObject error = client.next();
        assertEquals("ERROR", error.getString("message_type"), error.encode());
        assertEquals("INVALID_NAME", error.getString("error_code"), "refusing " + name.codePoints().boxed().toList());
        assertTrue(error.getString("text_payload").startsWith(capitalised(role) + " name "), error.encode());
      }
      client.sendUnchecked(new JsonObject().put("message_type", "PING"));
      assertEquals("NOT_REGISTERED", client.next("ERROR").getString("error_code"), "still unregistered");
      client.send(registration(role, "Proper " + role));
      assertEquals("REGISTER_" + role.toUpperCase() + "_RESPONSE", client.next().getString("message_type"));
    }
    List<String> reachedPresence = GATEWAY.registrations().stream().map(RegisterRequest::name).toList();
    assertTrue(HOSTILE.stream().noneMatch(reachedPresence::contains), "a refused name reached presence");
  }

  @Test
  void aMissingNameStillGetsTheContractsText() throws Exception {
    try (WsClient client = WsClient.connect(GATEWAY.port())) {
      client.sendUnchecked(new JsonObject().put("message_type", "REGISTER_AGENT"));
      JsonObject error = client.next("ERROR");
      assertEquals("Agent name is required for registration", error.getString("text_payload"));
      assertEquals("NAME_REQUIRED", error.getString("error_code"));
    }
  }

  @Test
  void anAcceptedNameIsTrimmedAndNormalisedBeforePresenceSeesIt() throws Exception {
    try (WsClient zurich = WsClient.connect(GATEWAY.port())) {
      zurich.sendUnchecked(registration("agent", "  Zu\u0308rich\u200B "));
      JsonObject response = zurich.next("REGISTER_AGENT_RESPONSE");
      assertEquals("Z\u00FCrich", response.getString("agent_name"), "NFC, trimmed");
      RegisterRequest request = GATEWAY.registrations().get(GATEWAY.registrations().size() - 1);
      assertEquals("Z\u00FCrich", request.name());
    }
  }

  private static JsonObject registration(String role, String name) {
    return new JsonObject().put("message_type", "REGISTER_" + role.toUpperCase()).put(role + "_name", name);
  }

  private static String capitalised(String role) {
    return Character.toUpperCase(role.charAt(0)) + role.substring(1);
  }
}
