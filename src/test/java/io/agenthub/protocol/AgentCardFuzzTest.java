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
import java.nio.charset.StandardCharsets;

/**
 * Fuzzes the checks of an agent card (protocol extension "agent cards") and of a PONG's load figures, as the gateway
 * runs them on what a client sends. Without {@code JAZZER_FUZZ} each target runs its stored inputs as a regression
 * test (see RELIABILITY.md). Invariants: nothing throws; a refusal is CARD_TOO_LARGE (only for a card over the limit)
 * or INVALID_CARD with a text naming a field of the card (INVALID_LOAD for figures); an accepted card obeys every
 * bound, its texts pass the name policy's checks, and it is its own normal form, as the hub stores and reads it back.
 */
class AgentCardFuzzTest {
  private static final String[] FIELDS = {"description", "version", "skills", "defaultInputModes",
      "defaultOutputModes", "max_concurrency", "capabilities"};
  private static final String[] SKILL_FIELDS = {"id", "name", "description", "tags", "examples"};

  @FuzzTest(maxDuration = "10s")
  @DictionaryEntries({"\"skills\"", "\"id\"", "\"name\"", "\"tags\"", "\"max_concurrency\"", "\"text/plain\"",
      "\"defaultInputModes\"", "\"description\"", "\\u0000", "\\ud800", "\\u202e", "\\u200b"})
  void card(FuzzedDataProvider data) {
    int maxBytes = data.consumeInt(256, 65_536);
    Object raw = data.consumeBoolean() ? structuredCard(data) : parsedOrText(data.consumeRemainingAsString());

    AgentCards.Checked checked = AgentCards.check(raw, maxBytes);
    if (!checked.accepted()) {
      ProtocolError error = checked.error();
      assertNotNull(error.code());
      assertFalse(error.text().isBlank());
      if (error.code() == ErrorCode.CARD_TOO_LARGE) {
        assertTrue(raw instanceof JsonObject json && json.encode().getBytes(StandardCharsets.UTF_8).length > maxBytes);
      } else {
        assertEquals(ErrorCode.INVALID_CARD, error.code());
        assertTrue(error.text().startsWith("card"), error.text());
      }
      return;
    }
    AgentCard card = checked.card();
    assertTrue(card.skills().size() <= AgentCards.MAX_SKILLS);
    assertFalse(card.inputModes().isEmpty() || card.outputModes().isEmpty(), "modes are filled in");
    card.skills().forEach(skill -> {
      assertTrue(skill.tags().size() <= AgentCards.MAX_TAGS);
      assertTrue(ClientNames.checkText(skill.name(), AgentCards.MAX_SKILL_NAME).accepted());
      assertEquals(1, card.skills().stream().filter(other -> other.id().equals(skill.id())).count(), "unique ids");
    });
    if (card.description() != null) {
      assertEquals(card.description(), ClientNames.checkText(card.description(), AgentCards.MAX_DESCRIPTION).text());
    }
    assertEquals(card, AgentCards.check(card.toJson(), Integer.MAX_VALUE).card(), "its own normal form");
    assertEquals(card, AgentCard.fromJson(new JsonObject(card.toJson().encode())), "stored and read back");
  }

  @FuzzTest(maxDuration = "5s")
  void pongLoad(FuzzedDataProvider data) {
    Object raw = data.consumeBoolean() ? new JsonObject().put(data.pickValue(new String[] {"tasks_in_progress",
        "tokens_per_second", "queue_depth"}), anyValue(data, 1)) : parsedOrText(data.consumeRemainingAsString());
    ReportedLoad.Checked checked = ReportedLoad.check(raw);
    if (!checked.accepted()) {
      assertEquals(ErrorCode.INVALID_LOAD, checked.error().code());
      return;
    }
    if (checked.load() != null) {
      assertEquals(checked.load(), ReportedLoad.fromJson(checked.load().toJson()));
    }
  }

  /** An object shaped like a card, so the fuzzer reaches the checks of skills, tags and texts. */
  private static JsonObject structuredCard(FuzzedDataProvider data) {
    JsonObject card = new JsonObject();
    int fields = data.consumeInt(0, FIELDS.length);
    for (int i = 0; i < fields; i++) {
      String field = data.pickValue(FIELDS);
      card.put(field, field.equals("skills") ? skills(data) : anyValue(data, 2));
    }
    return card;
  }

  private static JsonArray skills(FuzzedDataProvider data) {
    JsonArray skills = new JsonArray();
    int count = data.consumeInt(0, 4);
    for (int i = 0; i < count; i++) {
      JsonObject skill = new JsonObject();
      int fields = data.consumeInt(0, SKILL_FIELDS.length);
      for (int f = 0; f < fields; f++) {
        skill.put(data.pickValue(SKILL_FIELDS), anyValue(data, 1));
      }
      skills.add(skill);
    }
    return skills;
  }

  private static Object parsedOrText(String text) {
    try {
      return StrictJson.parseObject(text);
    } catch (StrictJson.Rejected notJson) {
      return text;
    }
  }

  private static Object anyValue(FuzzedDataProvider data, int depth) {
    return switch (data.consumeInt(0, depth > 0 ? 6 : 4)) {
      case 0 -> data.consumeString(100);
      case 1 -> data.consumeLong();
      case 2 -> data.consumeBoolean();
      case 3 -> null;
      case 4 -> data.consumeDouble();
      case 5 -> new JsonArray().add(anyValue(data, depth - 1)).add(anyValue(data, depth - 1));
      default -> new JsonObject().put(data.consumeString(8), anyValue(data, depth - 1));
    };
  }
}
