package io.agenthub.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.agenthub.protocol.Fields;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Fuzzes the routing decision for messages from {@code broker_output_queue}: any body a broker may publish is either
 * refused by the decoder the bridge uses (dead-lettered as "not a JSON object") or gets exactly one route that
 * follows the contract's order. Nothing else may be thrown: an exception would leave the delivery unsettled.
 */
class OutputRouteFuzzTest {
  private static final Set<String> ONLINE = Set.of("agent_0000000a", "agent_0000000b");

  @FuzzTest(maxDuration = "10s")
  @DictionaryEntries({"\"receiver_id\"", "\"_client_id\"", "\"message_type\"", "\"ERROR\"", "\"TEXT\"",
      "\"agent_0000000a\"", "\"agent_\"", "\"web_\"", "\"broker_\"", "\"sender_id\""})
  void route(FuzzedDataProvider data) {
    JsonObject message;
    try {
      message = new JsonObject(new String(data.consumeRemainingAsBytes(), StandardCharsets.UTF_8));
    } catch (DecodeException | ClassCastException notAnObject) {
      return;
    }
    OutputRoute route = OutputRoute.decide(message, ONLINE::contains);
    Object receiver = message.getValue(Fields.RECEIVER_ID);
    Object clientId = message.getValue(Fields.CLIENT_ID);
    switch (route.kind()) {
      case AGENT_QUEUE -> {
        assertEquals(receiver, route.target());
        assertTrue(ONLINE.contains(route.target()));
      }
      case ASK_PRESENCE -> {
        assertEquals(receiver, route.target());
        assertTrue(route.target().startsWith("agent_"));
        assertFalse(ONLINE.contains(route.target()));
        assertClientRoute(message, OutputRoute.toClient(message));
      }
      case CLIENT, UNDELIVERABLE -> {
        assertFalse(receiver instanceof String r && (ONLINE.contains(r) || r.startsWith("agent_")),
            "a message for an agent is never sent to a socket without asking presence");
        assertEquals(route, OutputRoute.toClient(message));
        assertClientRoute(message, route);
      }
    }
    assertTrue(clientId == null || clientId instanceof String || route.target() == null
        || route.target().equals(receiver), "a non-string _client_id is never a target");
  }

  private static void assertClientRoute(JsonObject message, OutputRoute route) {
    String receiver = message.getValue(Fields.RECEIVER_ID) instanceof String s ? s : null;
    String clientId = message.getValue(Fields.CLIENT_ID) instanceof String s ? s : null;
    boolean brokerError = "ERROR".equals(message.getValue(Fields.MESSAGE_TYPE)) && clientId != null;
    if (route.kind() == OutputRoute.Kind.UNDELIVERABLE) {
      assertNull(route.target());
      assertTrue((receiver == null || receiver.isEmpty() || brokerError) && (clientId == null || clientId.isEmpty()),
          "undeliverable only without any target");
      return;
    }
    assertEquals(OutputRoute.Kind.CLIENT, route.kind());
    assertFalse(route.target().isEmpty());
    if (brokerError) {
      assertEquals(clientId, route.target(), "a broker's ERROR goes back to the client it is about");
    } else if (receiver != null && !receiver.isEmpty()) {
      assertEquals(receiver, route.target());
    } else {
      assertEquals(clientId, route.target(), "without a receiver, back to the sender");
    }
  }
}
