package io.agenthub.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;

/**
 * Fuzzes the inbound path as the gateway runs it: parse a text frame, validate a chat message, stamp it with the
 * sender's identity, encode it for RabbitMQ; and the name policy a registration goes through. Without
 * {@code JAZZER_FUZZ} each target runs its stored inputs as a regression test; with it, Jazzer mutates inputs for
 * {@code maxDuration} (see RELIABILITY.md). Invariants: nothing throws; every refusal is a ProtocolError with a code
 * and a text; a stamped message carries its sender's id and none of the hub's internal keys; what the hub encodes
 * parses back to the same message; an accepted name obeys the policy and is its own normal form.
 */
class InboundPathFuzzTest {
  private static final int MAX_NAME = 128;
  private static final String[] TYPES = Arrays.stream(MessageType.values()).map(Enum::name).toArray(String[]::new);
  private static final String[] FIELDS = {Fields.TEXT_PAYLOAD, Fields.MESSAGE_ID, Fields.RECEIVER_ID, Fields.SENDER_ID,
      Fields.SEND_TIMESTAMP, Fields.IN_REPLY_TO_MESSAGE_ID, "in_reply_to", Fields.CLIENT_ID, Fields.CONNECTION_TYPE,
      Fields.BROADCAST, Fields.TARGET_AGENT_ID, "frontend_name", "agent_name", "broker_name", "agent_id", "token",
      "delivery", "status_updates"};
  private static final Set<ErrorCode> CHAT_REFUSALS = Set.of(ErrorCode.MISSING_FIELD, ErrorCode.INVALID_FIELD);

  @FuzzTest(maxDuration = "10s")
  @DictionaryEntries({"\"message_type\"", "\"TEXT\"", "\"REPLY\"", "\"SYSTEM\"", "\"ERROR\"", "\"text_payload\"",
      "\"message_id\"", "\"receiver_id\"", "\"sender_id\"", "\"_client_id\"", "\"_connection_type\"", "\"_broadcast\"",
      "\"_target_agent_id\"", "\"send_timestamp\"", "\"in_reply_to_message_id\"", "\"REGISTER_AGENT\"",
      "\"agent_name\"", "\"REGISTER_FRONTEND\"", "\"frontend_name\"", "\\u0000", "\\ud800", "\\u202e"})
  void inboundFrame(FuzzedDataProvider data) {
    int maxFrameBytes = data.consumeInt(256, 1_048_576);
    ClientRole role = data.pickValue(ClientRole.values());
    String clientId = ClientIds.newId(role);
    String text = data.consumeBoolean() ? structuredFrame(data) : data.consumeRemainingAsString();

    InboundFrame frame = InboundFrame.parse(text, maxFrameBytes);
    if (!frame.isValid()) {
      assertRefusal(frame.error());
      assertTrue(frame.body() != null || frame.type() == null, "a frame without a body has no type");
      return;
    }
    assertNotNull(frame.body());
    assertEquals(frame.type().name(), frame.body().getString(Fields.MESSAGE_TYPE));
    if (frame.type().isRegistration()) {
      ClientRole registering = ClientRole.forRegistration(frame.type()).orElseThrow();
      assertNamePolicy(registering, frame.body().getValue(registering.nameField()));
    } else if (frame.type().isChat()) {
      assertChatPath(frame.body(), clientId, role);
    }
  }

  @FuzzTest(maxDuration = "5s")
  void clientName(FuzzedDataProvider data) {
    ClientRole role = data.pickValue(ClientRole.values());
    assertNamePolicy(role, data.consumeRemainingAsString());
  }

  /**
   * A JSON object shaped like a client frame, so the fuzzer reaches validation, stamping and the name policy
   * without first having to discover JSON syntax: a message type (known or not), then known fields with values of
   * any JSON kind, the strings taken from the fuzzer's data.
   */
  private static String structuredFrame(FuzzedDataProvider data) {
    JsonObject frame = new JsonObject();
    frame.put(Fields.MESSAGE_TYPE, data.consumeBoolean() ? data.pickValue(TYPES) : data.consumeString(16));
    int fields = data.consumeInt(0, FIELDS.length);
    for (int i = 0; i < fields; i++) {
      frame.put(data.pickValue(FIELDS), anyValue(data, 2));
    }
    return frame.encode();
  }

  private static Object anyValue(FuzzedDataProvider data, int depth) {
    return switch (data.consumeInt(0, depth > 0 ? 6 : 4)) {
      case 0 -> data.consumeString(200);
      case 1 -> data.consumeLong();
      case 2 -> data.consumeBoolean();
      case 3 -> null;
      case 4 -> data.consumeDouble();
      case 5 -> new JsonArray().add(anyValue(data, depth - 1));
      default -> new JsonObject().put(data.consumeString(8), anyValue(data, depth - 1));
    };
  }

  private static void assertChatPath(JsonObject body, String clientId, ClientRole role) {
    Optional<ProtocolError> problem = ChatMessages.validate(body);
    if (problem.isPresent()) {
      assertRefusal(problem.get());
      assertTrue(CHAT_REFUSALS.contains(problem.get().code()), problem.get().toString());
      return;
    }
    JsonObject stamped = ChatMessages.stampFromClient(body, clientId, role, Instant.EPOCH);
    assertEquals(clientId, stamped.getString(Fields.SENDER_ID));
    assertEquals(clientId, stamped.getString(Fields.CLIENT_ID));
    assertEquals(role.connectionType(), stamped.getString(Fields.CONNECTION_TYPE));
    assertFalse(stamped.containsKey(Fields.BROADCAST));
    assertFalse(stamped.containsKey(Fields.TARGET_AGENT_ID));
    for (String field :
        new String[] {Fields.MESSAGE_ID, Fields.RECEIVER_ID, Fields.SEND_TIMESTAMP, Fields.TEXT_PAYLOAD}) {
      assertTrue(stamped.getValue(field) instanceof String, field + " is a string");
    }
    String encoded = stamped.encode();
    InboundFrame reparsed = InboundFrame.parse(encoded, Integer.MAX_VALUE);
    assertTrue(reparsed.isValid(), () -> "what the hub publishes parses back: " + reparsed.error());
    assertEquals(stamped, reparsed.body());
    assertTrue(ChatMessages.validate(reparsed.body()).isEmpty(), "and is still a valid chat message");
    JsonObject forClient = ChatMessages.forClient(stamped);
    Fields.INTERNAL_KEYS.forEach(key -> assertFalse(forClient.containsKey(key), key));
    assertEquals(clientId, forClient.getString(Fields.SENDER_ID));
  }

  private static void assertNamePolicy(ClientRole role, Object raw) {
    ClientNames.Checked checked = ClientNames.check(role, raw, MAX_NAME);
    if (!checked.accepted()) {
      assertRefusal(checked.error());
      assertTrue(checked.error().code() == ErrorCode.NAME_REQUIRED || checked.error().code() == ErrorCode.INVALID_NAME);
      assertEquals(checked.error().code() == ErrorCode.NAME_REQUIRED, !(raw instanceof String s) || s.isBlank(),
          "NAME_REQUIRED exactly for a missing or blank name");
      return;
    }
    String name = checked.name();
    assertTrue(name.codePointCount(0, name.length()) <= MAX_NAME, "within the limit");
    assertTrue(name.codePoints().noneMatch(Character::isISOControl), "no control character");
    assertTrue(name.codePoints().noneMatch(ClientNames::isBidiControl), "no bidi override");
    assertTrue(name.codePoints().anyMatch(c -> !ClientNames.isInvisible(c)), "something visible");
    assertFalse(ClientNames.isInvisible(name.codePointAt(0)), "trimmed at the start");
    assertFalse(ClientNames.isInvisible(name.codePointBefore(name.length())), "trimmed at the end");
    assertFalse(ClientIds.isWellFormed(name), "not an id");
    assertFalse(name.equalsIgnoreCase("server"), "not the hub");
    assertEquals(name, ClientNames.check(role, name, MAX_NAME).name(), "an accepted name is its own normal form");
    assertEquals(name, new JsonObject(new JsonObject().put("n", name).encode()).getString("n"), "survives JSON");
  }

  private static void assertRefusal(ProtocolError error) {
    assertNotNull(error, "a refusal names its error");
    assertNotNull(error.code(), "every refusal has a code");
    assertFalse(error.text() == null || error.text().isBlank(), "and a text");
    JsonObject frame = error.toFrame();
    assertEquals("ERROR", frame.getString(Fields.MESSAGE_TYPE));
    assertEquals(error.code().name(), frame.getString(Fields.ERROR_CODE));
  }
}
