package io.agenthub.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agenthub.support.HubExtension;
import io.agenthub.support.Integration;
import io.agenthub.support.Messages;
import io.agenthub.support.WsClient;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Names nobody can see or trust are refused at registration with INVALID_NAME, and on a whole hub nothing of a refused
 * name reaches anyone's status list, while an accepted name is listed normalised. The name rules themselves are
 * checked on the gateway alone ({@code gateway.policy.HostileNamesBusTest}).
 */
@Integration
class HostileNamesTest {
  private static final List<String> HOSTILE = List.of("\u200B\u200C\u200D", "\u00A0", "\u0000", "Echo\u0000",
      "\u202Eexe.txt", "a\u2066b\u2069", "server", "SERVER", "agent_1a2b3c4d", "web_deadbeef", "x".repeat(129),
      "bell\u0007");

  @RegisterExtension
  static final HubExtension HUB = HubExtension.perClass("hostile-names", new JsonObject()
      .put("REGISTRATION_RATE_LIMIT", 0));

  @Test
  void refusedNamesNeverReachAStatusListAndAcceptedOnesAreNormalised() throws Exception {
    try (WsClient watcher = WsClient.register(HUB.port(), "frontend", "Watcher")) {
      watcher.next("AGENT_STATUS_UPDATE");
      for (String name : HOSTILE) {
        try (WsClient hostile = WsClient.connect(HUB.port())) {
          hostile.sendUnchecked(registration("agent", name));
          assertEquals("INVALID_NAME", hostile.next().getString("error_code"));
        }
      }
      try (WsClient zurich = WsClient.connect(HUB.port())) {
        zurich.sendUnchecked(registration("agent", "  Zu\u0308rich\u200B "));
        JsonObject response = zurich.next("REGISTER_AGENT_RESPONSE");
        assertEquals("Z\u00FCrich", response.getString("agent_name"), "NFC, trimmed");
        JsonObject status = watcher.next(f -> Messages.statusShows(f, response.getString("agent_id"), true),
            WsClient.TIMEOUT);
        Set<String> listed = status.getJsonArray("agents").stream().map(JsonObject.class::cast)
            .map(a -> a.getString("agent_name")).collect(Collectors.toSet());
        assertTrue(listed.contains("Z\u00FCrich"), listed.toString());
        assertTrue(HOSTILE.stream().noneMatch(listed::contains), "no refused name is listed: " + listed);
      }
    }
  }

  private static JsonObject registration(String role, String name) {
    return new JsonObject().put("message_type", "REGISTER_" + role.toUpperCase()).put(role + "_name", name);
  }
}
