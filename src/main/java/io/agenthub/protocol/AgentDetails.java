package io.agenthub.protocol;

import io.vertx.core.json.JsonObject;

/**
 * Protocol extensions "agent cards" and "live load": what clients that registered with
 * {@code "status_updates":"details"} see of an agent besides the contract's entry ({@link AgentStatusEntry}): its
 * grade, its load, its card when it has one, and whether it streams its answers. The contract's entry is never
 * changed: a detailed entry is a copy with these fields added ({@link #entry}).
 *
 * @param card null for an agent that registered without one
 */
public record AgentDetails(AgentCard card, boolean streams, AgentGrade grade, LoadFigures load) {
  public static final String GRADE = "grade";
  public static final String LOAD = "load";
  public static final String CARD = "card";

  /** What is known of an agent nothing was measured for yet: available when online. */
  public static AgentDetails initial(AgentCard card, boolean streams, boolean online) {
    return new AgentDetails(card, streams, online ? AgentGrade.AVAILABLE : AgentGrade.OFFLINE, LoadFigures.NONE);
  }

  /**
   * The contract's entry with the details added. An entry that shows the agent offline is graded offline, whatever
   * the last grade was: a status change reaches clients before the next load update does.
   */
  public JsonObject entry(JsonObject contractEntry) {
    boolean online = contractEntry.getBoolean(Fields.IS_ONLINE, false);
    JsonObject entry = contractEntry.copy().put(GRADE, gradeWhen(online).wireName()).put(LOAD, load.toJson());
    if (card != null) {
      entry.put(CARD, card.toJson());
    }
    return streams ? entry.put(Fields.STREAMS, true) : entry;
  }

  /** An agent that came online since its last grade is available until the next grading says otherwise. */
  private AgentGrade gradeWhen(boolean online) {
    if (!online) {
      return AgentGrade.OFFLINE;
    }
    return grade == AgentGrade.OFFLINE ? AgentGrade.AVAILABLE : grade;
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put(GRADE, grade.wireName()).put(LOAD, load.toJson());
    if (card != null) {
      json.put(CARD, card.toJson());
    }
    return streams ? json.put(Fields.STREAMS, true) : json;
  }

  public static AgentDetails fromJson(JsonObject json) {
    JsonObject card = json.getJsonObject(CARD);
    return new AgentDetails(card == null ? null : AgentCard.fromJson(card), json.getBoolean(Fields.STREAMS, false),
        AgentGrade.fromWireName(json.getString(GRADE)), LoadFigures.fromJson(json.getJsonObject(LOAD)));
  }
}
