package io.agenthub.protocol;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The checks of an agent card a client sends ({@code "card"} on {@code REGISTER_AGENT} or {@code AGENT_CARD_UPDATE}).
 * A card is shown to every client that asks for agent details and kept in presence's shared records, so it is
 * bounded: at most {@code AGENT_CARD_MAX_BYTES} as JSON ({@link ErrorCode#CARD_TOO_LARGE}), and counts and lengths
 * below; every text obeys the name policy's checks ({@link ClientNames#checkText}) and is kept in its normal form.
 * Any other problem is {@link ErrorCode#INVALID_CARD}, with a text naming the field ({@code card.skills[1].id}).
 * Unknown fields are refused too, so that a misspelt {@code max_concurrency} is not silently ignored. Pure logic.
 */
public final class AgentCards {
  public static final int MAX_SKILLS = 64;
  public static final int MAX_TAGS = 16;
  public static final int MAX_MODES = 16;
  public static final int MAX_DESCRIPTION = 1_024;
  public static final int MAX_SKILL_NAME = 128;
  public static final int MAX_TAG = 64;
  public static final int MAX_VERSION = 64;
  public static final int MAX_CONCURRENCY = 10_000;
  /** A skill id is a token: what a question names in {@code "skill"} must compare exactly. */
  private static final Pattern SKILL_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,63}");
  /** A MIME type without parameters (RFC 6838 restricted names), or a {@code type/*} range. */
  private static final Pattern MODE = Pattern.compile(
      "[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,62}/([A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,62}|\\*)");
  private static final Set<String> CARD_FIELDS = Set.of(AgentCard.DESCRIPTION, AgentCard.VERSION, AgentCard.SKILLS,
      AgentCard.INPUT_MODES, AgentCard.OUTPUT_MODES, AgentCard.MAX_CONCURRENCY);
  private static final Set<String> SKILL_FIELDS =
      Set.of(AgentCard.SKILL_ID, AgentCard.SKILL_NAME, AgentCard.DESCRIPTION, AgentCard.TAGS);
  private static final List<String> DEFAULT_MODES = List.of("text/plain");

  private AgentCards() {
  }

  /** The outcome of {@link #check}: the card in its normal form, or the error to refuse it with. */
  public record Checked(AgentCard card, ProtocolError error) {
    public boolean accepted() {
      return error == null;
    }
  }

  /** Thrown inside the checks with the text of the first problem found. */
  private static final class Invalid extends RuntimeException {
    Invalid(String text) {
      super(text, null, false, false);
    }
  }

  /** Checks the value of a {@code card} field; {@code maxBytes} bounds its JSON encoding (UTF-8). */
  public static Checked check(Object raw, int maxBytes) {
    if (!(raw instanceof JsonObject json)) {
      return invalid("card must be a JSON object");
    }
    int bytes = json.encode().getBytes(StandardCharsets.UTF_8).length;
    if (bytes > maxBytes) {
      return new Checked(null, new ProtocolError(ErrorCode.CARD_TOO_LARGE,
          "card is " + bytes + " bytes of JSON; at most " + maxBytes + " (AGENT_CARD_MAX_BYTES) are accepted"));
    }
    try {
      return new Checked(card(json), null);
    } catch (Invalid problem) {
      return invalid(problem.getMessage());
    }
  }

  private static Checked invalid(String text) {
    return new Checked(null, new ProtocolError(ErrorCode.INVALID_CARD, text));
  }

  private static AgentCard card(JsonObject json) {
    onlyFields(json, CARD_FIELDS, "card");
    return new AgentCard(
        optionalText(json, AgentCard.DESCRIPTION, "card", MAX_DESCRIPTION),
        optionalText(json, AgentCard.VERSION, "card", MAX_VERSION),
        skills(json.getValue(AgentCard.SKILLS)),
        modes(json.getValue(AgentCard.INPUT_MODES), "card." + AgentCard.INPUT_MODES),
        modes(json.getValue(AgentCard.OUTPUT_MODES), "card." + AgentCard.OUTPUT_MODES),
        concurrency(json.getValue(AgentCard.MAX_CONCURRENCY)));
  }

  private static List<AgentCard.Skill> skills(Object raw) {
    JsonArray list = array(raw, "card." + AgentCard.SKILLS, MAX_SKILLS);
    List<AgentCard.Skill> skills = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < list.size(); i++) {
      String path = "card.skills[" + i + "]";
      if (!(list.getValue(i) instanceof JsonObject skill)) {
        throw new Invalid(path + " must be a JSON object");
      }
      onlyFields(skill, SKILL_FIELDS, path);
      String id = skillId(skill.getValue(AgentCard.SKILL_ID), path + ".id");
      if (!ids.add(id)) {
        throw new Invalid(path + ".id \"" + id + "\" is not unique in the card");
      }
      String name = requiredText(skill, AgentCard.SKILL_NAME, path, MAX_SKILL_NAME);
      skills.add(new AgentCard.Skill(id, name, optionalText(skill, AgentCard.DESCRIPTION, path, MAX_DESCRIPTION),
          tags(skill.getValue(AgentCard.TAGS), path + ".tags")));
    }
    return skills;
  }

  private static String skillId(Object raw, String path) {
    if (!(raw instanceof String id) || !SKILL_ID.matcher(id).matches()) {
      throw new Invalid(path + " is required: 1 to 64 letters, digits, '.', '_', ':' or '-', starting with a letter "
          + "or digit");
    }
    return id;
  }

  private static List<String> tags(Object raw, String path) {
    JsonArray list = array(raw, path, MAX_TAGS);
    List<String> tags = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      tags.add(text(list.getValue(i), path + "[" + i + "]", MAX_TAG));
    }
    return tags;
  }

  private static List<String> modes(Object raw, String path) {
    if (raw == null) {
      return DEFAULT_MODES;
    }
    JsonArray list = array(raw, path, MAX_MODES);
    List<String> modes = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      if (!(list.getValue(i) instanceof String mode) || !MODE.matcher(mode).matches()) {
        throw new Invalid(path + "[" + i + "] must be a MIME type such as text/plain or application/json");
      }
      modes.add(mode);
    }
    return modes.isEmpty() ? DEFAULT_MODES : modes;
  }

  private static Integer concurrency(Object raw) {
    if (raw == null) {
      return null;
    }
    if (!(raw instanceof Number number) || number.doubleValue() != Math.rint(number.doubleValue())
        || number.doubleValue() < 1 || number.doubleValue() > MAX_CONCURRENCY) {
      throw new Invalid("card." + AgentCard.MAX_CONCURRENCY + " must be an integer from 1 to " + MAX_CONCURRENCY);
    }
    return number.intValue();
  }

  /** A missing array is empty; one longer than {@code max} is refused before its items are looked at. */
  private static JsonArray array(Object raw, String path, int max) {
    if (raw == null) {
      return new JsonArray();
    }
    if (!(raw instanceof JsonArray list)) {
      throw new Invalid(path + " must be a JSON array");
    }
    if (list.size() > max) {
      throw new Invalid(path + " has " + list.size() + " entries; at most " + max + " are accepted");
    }
    return list;
  }

  private static String requiredText(JsonObject json, String field, String path, int max) {
    if (json.getValue(field) == null) {
      throw new Invalid(path + "." + field + " is required");
    }
    return text(json.getValue(field), path + "." + field, max);
  }

  private static String optionalText(JsonObject json, String field, String path, int max) {
    Object raw = json.getValue(field);
    return raw == null ? null : text(raw, path + "." + field, max);
  }

  private static String text(Object raw, String path, int max) {
    if (!(raw instanceof String text)) {
      throw new Invalid(path + " must be a string");
    }
    ClientNames.Text checked = ClientNames.checkText(text, max);
    if (!checked.accepted()) {
      throw new Invalid(path + " " + checked.problem());
    }
    return checked.text();
  }

  private static void onlyFields(JsonObject json, Set<String> allowed, String path) {
    for (String field : json.fieldNames()) {
      if (!allowed.contains(field)) {
        throw new Invalid(path + "." + abbreviate(field) + " is not a field of " + (path.equals("card") ? "a card"
            : "a skill") + " (allowed: " + String.join(", ", allowed.stream().sorted().toList()) + ")");
      }
    }
  }

  private static String abbreviate(String value) {
    return value.length() <= 64 ? value : value.substring(0, 64) + "…";
  }
}
