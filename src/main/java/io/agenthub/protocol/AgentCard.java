package io.agenthub.protocol;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Protocol extension "agent cards": what an agent says it can do, shaped after A2A's AgentCard so that A2A tooling can
 * read it ({@link #toA2a}). The agent's name is its {@code agent_name}; whether it streams is its registration's
 * {@code "streams": true}. Built only by {@link AgentCards#check} from what a client sent, or read back from the hub's
 * own store and bus ({@link #fromJson}).
 *
 * @param description what the agent does, or null
 * @param version the agent's own version text, or null
 * @param inputModes MIME types it takes ({@code defaultInputModes}); {@code text/plain} when the agent named none
 * @param outputModes MIME types it answers in ({@code defaultOutputModes}); {@code text/plain} likewise
 * @param maxConcurrency the most messages it works on at once, or null when it did not say
 */
public record AgentCard(String description, String version, List<Skill> skills, List<String> inputModes,
    List<String> outputModes, Integer maxConcurrency) {

  static final String DESCRIPTION = "description";
  static final String VERSION = "version";
  static final String SKILLS = "skills";
  static final String INPUT_MODES = "defaultInputModes";
  static final String OUTPUT_MODES = "defaultOutputModes";
  static final String MAX_CONCURRENCY = "max_concurrency";
  static final String SKILL_ID = "id";
  static final String SKILL_NAME = "name";
  static final String TAGS = "tags";
  /** The A2A protocol version whose AgentCard {@link #toA2a} writes. */
  public static final String A2A_PROTOCOL_VERSION = "0.3.0";

  /** One thing the agent can do; a question names it by {@code id} ({@code "skill": "translate"}). */
  public record Skill(String id, String name, String description, List<String> tags) {

    JsonObject toJson() {
      JsonObject json = new JsonObject().put(SKILL_ID, id).put(SKILL_NAME, name);
      if (description != null) {
        json.put(DESCRIPTION, description);
      }
      return json.put(TAGS, new JsonArray(tags));
    }

    static Skill fromJson(JsonObject json) {
      return new Skill(json.getString(SKILL_ID), json.getString(SKILL_NAME), json.getString(DESCRIPTION),
          strings(json.getJsonArray(TAGS, new JsonArray())));
    }
  }

  public AgentCard {
    skills = List.copyOf(skills);
    inputModes = List.copyOf(inputModes);
    outputModes = List.copyOf(outputModes);
  }

  public boolean hasSkill(String skillId) {
    return skills.stream().anyMatch(skill -> skill.id().equals(skillId));
  }

  /** The card as the hub keeps it and shows it to clients that asked for agent details. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    if (description != null) {
      json.put(DESCRIPTION, description);
    }
    if (version != null) {
      json.put(VERSION, version);
    }
    JsonArray skillList = new JsonArray();
    skills.forEach(skill -> skillList.add(skill.toJson()));
    json.put(SKILLS, skillList).put(INPUT_MODES, new JsonArray(inputModes))
        .put(OUTPUT_MODES, new JsonArray(outputModes));
    if (maxConcurrency != null) {
      json.put(MAX_CONCURRENCY, maxConcurrency);
    }
    return json;
  }

  /** A card the hub checked before it stored or sent it. */
  public static AgentCard fromJson(JsonObject json) {
    return new AgentCard(json.getString(DESCRIPTION), json.getString(VERSION),
        json.getJsonArray(SKILLS, new JsonArray()).stream().map(JsonObject.class::cast).map(Skill::fromJson).toList(),
        strings(json.getJsonArray(INPUT_MODES, new JsonArray())),
        strings(json.getJsonArray(OUTPUT_MODES, new JsonArray())), json.getInteger(MAX_CONCURRENCY));
  }

  /**
   * The card as an A2A AgentCard document: the fields A2A requires ({@code description} and each skill's
   * {@code description} fall back to the names), {@code capabilities.streaming} from the registration, and
   * {@code url}, where the agent is reached: the hub's WebSocket endpoint, since agents behind the hub speak its
   * protocol rather than A2A's transports.
   */
  public JsonObject toA2a(String agentName, boolean streams, String url) {
    JsonArray a2aSkills = new JsonArray();
    skills.forEach(skill -> a2aSkills.add(new JsonObject().put(SKILL_ID, skill.id()).put(SKILL_NAME, skill.name())
        .put(DESCRIPTION, skill.description() != null ? skill.description() : skill.name())
        .put(TAGS, new JsonArray(skill.tags()))));
    return new JsonObject()
        .put("protocolVersion", A2A_PROTOCOL_VERSION)
        .put("name", agentName)
        .put(DESCRIPTION, description != null ? description : agentName)
        .put("url", url)
        .put(VERSION, version != null ? version : "unversioned")
        .put("capabilities", new JsonObject().put("streaming", streams))
        .put(INPUT_MODES, new JsonArray(inputModes))
        .put(OUTPUT_MODES, new JsonArray(outputModes))
        .put(SKILLS, a2aSkills);
  }

  private static List<String> strings(JsonArray array) {
    return array.stream().map(String.class::cast).toList();
  }
}
