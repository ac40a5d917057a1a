package io.agenthub.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Protocol extension "agent cards": the checks of a card a client sends, each refusal with its own code and a text
 * naming the field, the normal form the hub keeps, and the A2A document it serves.
 */
class AgentCardsTest {
  private static final int MAX_BYTES = 16_384;

  private static JsonObject card() {
    return new JsonObject()
        .put("description", "  Translates text\u200b ")
        .put("version", "1.2.0")
        .put("skills", new JsonArray().add(new JsonObject().put("id", "translate").put("name", "Translate")
            .put("description", "Any language to any other").put("tags", new JsonArray().add("language"))))
        .put("defaultInputModes", new JsonArray().add("text/plain").add("application/json"))
        .put("max_concurrency", 4);
  }

  @Test
  void aValidCardIsKeptInItsNormalFormWithTheDefaultsFilledIn() {
    AgentCards.Checked checked = AgentCards.check(card(), MAX_BYTES);
    assertTrue(checked.accepted(), () -> checked.error().text());
    AgentCard kept = checked.card();
    assertEquals("Translates text", kept.description(), "trimmed of blanks and invisible characters");
    assertEquals(List.of("text/plain", "application/json"), kept.inputModes());
    assertEquals(List.of("text/plain"), kept.outputModes(), "no output modes named: text/plain");
    assertEquals(4, kept.maxConcurrency());
    assertTrue(kept.hasSkill("translate"));
    assertFalse(kept.hasSkill("Translate"), "skill ids compare exactly");
    assertEquals(kept, AgentCard.fromJson(kept.toJson()), "what the hub stores reads back the same");
    assertEquals(kept, AgentCards.check(kept.toJson(), MAX_BYTES).card(), "the normal form is its own normal form");
  }

  @Test
  void aSkillWithoutTagsHasAnEmptyListAndAnEmptyCardIsACard() {
    AgentCard minimal = AgentCards.check(new JsonObject(), MAX_BYTES).card();
    assertEquals(List.of(), minimal.skills());
    assertNull(minimal.maxConcurrency());
    AgentCard untagged = AgentCards.check(new JsonObject().put("skills", new JsonArray()
        .add(new JsonObject().put("id", "sql").put("name", "SQL"))), MAX_BYTES).card();
    assertEquals(List.of(), untagged.skills().get(0).tags());
  }

  @Test
  void aCardOverTheSizeLimitIsRefusedAsTooLarge() {
    JsonObject card = card().put("description", "x".repeat(900));
    AgentCards.Checked checked = AgentCards.check(card, 512);
    assertEquals(ErrorCode.CARD_TOO_LARGE, checked.error().code());
    assertTrue(checked.error().text().contains("AGENT_CARD_MAX_BYTES"), checked.error().text());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      not an object                   | card must be a JSON object
      unknown field                   | card.capabilities is not a field of a card
      skills not an array             | card.skills must be a JSON array
      too many skills                 | card.skills has 65 entries; at most 64
      skill not an object             | card.skills[0] must be a JSON object
      skill without an id             | card.skills[0].id is required
      skill id with a space           | card.skills[0].id is required: 1 to 64 letters
      duplicate skill ids             | card.skills[1].id "translate" is not unique
      skill without a name            | card.skills[0].name is required
      unknown skill field             | card.skills[0].examples is not a field of a skill
      too many tags                   | card.skills[0].tags has 17 entries; at most 16
      tag not a string                | card.skills[0].tags[0] must be a string
      tag too long                    | card.skills[0].tags[0] must be at most 64 characters long
      control character               | card.description must not contain control characters
      bidirectional override          | card.description must not contain bidirectional override
      nothing visible                 | card.skills[0].name must contain a visible character
      unpaired surrogate              | card.version is not valid Unicode text
      mode that is no MIME type       | card.defaultOutputModes[0] must be a MIME type
      concurrency zero                | card.max_concurrency must be an integer from 1 to 10000
      concurrency not an integer      | card.max_concurrency must be an integer from 1 to 10000
      concurrency as a string         | card.max_concurrency must be an integer from 1 to 10000
      """)
  void eachBrokenRuleIsRefusedAsAnInvalidCardNamingTheField(String rule, String expected) {
    AgentCards.Checked checked = AgentCards.check(broken(rule), MAX_BYTES);
    assertFalse(checked.accepted(), rule);
    assertEquals(ErrorCode.INVALID_CARD, checked.error().code());
    assertTrue(checked.error().text().startsWith(expected), () -> rule + ": " + checked.error().text());
  }

  @Test
  void theA2aDocumentHasWhatA2aRequiresAndTheStreamingCapability() {
    AgentCard kept = AgentCards.check(new JsonObject().put("skills", new JsonArray()
        .add(new JsonObject().put("id", "sql").put("name", "SQL"))), MAX_BYTES).card();
    JsonObject a2a = kept.toA2a("Writer", true, "ws://hub:8765/ws");
    assertEquals("Writer", a2a.getString("name"));
    assertEquals("Writer", a2a.getString("description"), "the name stands in for a missing description");
    assertEquals("ws://hub:8765/ws", a2a.getString("url"));
    assertTrue(a2a.getJsonObject("capabilities").getBoolean("streaming"));
    assertEquals(AgentCard.A2A_PROTOCOL_VERSION, a2a.getString("protocolVersion"));
    JsonObject skill = a2a.getJsonArray("skills").getJsonObject(0);
    assertEquals("SQL", skill.getString("description"), "a skill's name stands in for its description");
    assertEquals(new JsonArray(), skill.getJsonArray("tags"));
    assertEquals(new JsonArray().add("text/plain"), a2a.getJsonArray("defaultOutputModes"));
    assertFalse(AgentCards.check(new JsonObject(), MAX_BYTES).card().toA2a("Plain", false, "ws://x/ws")
        .getJsonObject("capabilities").getBoolean("streaming"));
  }

  @Test
  void detailsAreAddedToACopyOfTheContractsEntry() {
    JsonObject contractEntry = new AgentStatusEntry("agent_0000abcd", "Echo", true,
        Timestamps.parse("2026-12-01T10:00:00")).toJson();
    AgentDetails details = new AgentDetails(AgentCards.check(card(), MAX_BYTES).card(), true, AgentGrade.BUSY,
        new LoadFigures(3, 4, 850L, new ReportedLoad(4, null)));
    JsonObject entry = details.entry(contractEntry);
    assertEquals(4, contractEntry.size(), "the contract's entry is left as it is");
    assertEquals("busy", entry.getString("grade"));
    assertEquals(new JsonObject().put("queue_depth", 3).put("unanswered", 4).put("latency_ms", 850L)
        .put("tasks_in_progress", 4), entry.getJsonObject("load"));
    assertEquals("Translates text", entry.getJsonObject("card").getString("description"));
    assertTrue(entry.getBoolean("streams"));
    assertEquals(details, AgentDetails.fromJson(entry), "the gateway reads back what presence published");
    assertEquals("offline", details.entry(contractEntry.copy().put("is_online", false)).getString("grade"),
        "an entry that shows the agent offline is graded offline");
  }

  private static JsonObject broken(String rule) {
    return switch (rule) {
      case "not an object" -> null;
      case "unknown field" -> card().put("capabilities", new JsonObject().put("streaming", true));
      case "skills not an array" -> card().put("skills", "translate");
      case "too many skills" -> card().put("skills", new JsonArray(IntStream.range(0, 65)
          .mapToObj(i -> new JsonObject().put("id", "s" + i).put("name", "S" + i)).toList()));
      case "skill not an object" -> card().put("skills", new JsonArray().add("translate"));
      case "skill without an id" -> withSkill(s -> { s.remove("id"); return s; });
      case "skill id with a space" -> withSkill(s -> s.put("id", "trans late"));
      case "duplicate skill ids" -> card().put("skills", new JsonArray().add(new JsonObject().put("id", "translate")
          .put("name", "A")).add(new JsonObject().put("id", "translate").put("name", "B")));
      case "skill without a name" -> withSkill(s -> { s.remove("name"); return s; });
      case "unknown skill field" -> withSkill(s -> s.put("examples", new JsonArray()));
      case "too many tags" -> withSkill(s -> s.put("tags", new JsonArray(IntStream.range(0, 17)
          .mapToObj(i -> "t" + i).toList())));
      case "tag not a string" -> withSkill(s -> s.put("tags", new JsonArray().add(7)));
      case "tag too long" -> withSkill(s -> s.put("tags", new JsonArray().add("t".repeat(65))));
      case "control character" -> card().put("description", "line one\nline two");
      case "bidirectional override" -> card().put("description", "abc\u202Edef");
      case "nothing visible" -> withSkill(s -> s.put("name", "\u200b \u3164"));
      case "unpaired surrogate" -> card().put("version", "1.\ud800");
      case "mode that is no MIME type" -> card().put("defaultOutputModes", new JsonArray().add("plain text"));
      case "concurrency zero" -> card().put("max_concurrency", 0);
      case "concurrency not an integer" -> card().put("max_concurrency", 2.5);
      case "concurrency as a string" -> card().put("max_concurrency", "4");
      default -> throw new IllegalArgumentException(rule);
    };
  }

  /** The valid card with its skill changed. */
  private static JsonObject withSkill(UnaryOperator<JsonObject> change) {
    return card().put("skills", new JsonArray().add(change.apply(
        card().getJsonArray("skills").getJsonObject(0).copy())));
  }
}
