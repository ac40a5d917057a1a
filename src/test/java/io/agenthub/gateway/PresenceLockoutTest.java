package io.agenthub.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agenthub.support.HubExtension;
import io.agenthub.support.Integration;
import io.agenthub.support.WsClient;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The attack of issue 11 against a hub with default settings: one client registers agents with names of 59,000
 * characters and drops each socket, until a single status list is larger than CLIENT_MAX_UNREAD_CHARS. Every
 * frontend after that used to be closed with 1008 "Client too slow" right after its registration response.
 */
@Integration
class PresenceLockoutTest {
  private static final int ATTACKS = 145;

  @RegisterExtension
  static final HubExtension HUB = HubExtension.perClass("presence-lockout", new JsonObject());

  @Test
  void agentsWithHugeNamesCannotLockFrontendsOut() throws Exception {
    List<String> answers = new ArrayList<>();
    for (int i = 0; i < ATTACKS; i++) {
      try (WsClient attacker = WsClient.connect(HUB.port())) {
        attacker.send(new JsonObject().put("message_type", "REGISTER_AGENT")
            .put("agent_name", i + "x".repeat(59_000)));
        JsonObject answer = attacker.next();
        answers.add(answer.getString("error_code", answer.getString("message_type")));
      }
    }
    try (WsClient frontend = WsClient.register(HUB.port(), "frontend", "Latecomer")) {
      JsonObject status = frontend.next("AGENT_STATUS_UPDATE");
      assertTrue(status.getBoolean("is_full_update"));
      frontend.send(new JsonObject().put("message_type", "PING"));
      assertEquals("server", frontend.next("PONG").getString("sender_id"), "the frontend is served, not closed");
      assertTrue(frontend.isOpen());
    }
    assertEquals(List.of("INVALID_NAME"), answers.stream().distinct().toList(), "every huge name was refused");
  }
}
