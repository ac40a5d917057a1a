package io.agenthub.protocol;

import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * Protocol extension "live load": the figures an agent may add to its {@code PONG} as
 * {@code "load": {"tasks_in_progress": 3, "tokens_per_second": 42.5}}, each optional. The hub shows them with what it
 * measures itself, and counts {@code tasks_in_progress} against the card's {@code max_concurrency}.
 *
 * @param tasksInProgress messages the agent is working on now, or null
 * @param tokensPerSecond the rate it produces output at, or null
 */
public record ReportedLoad(Integer tasksInProgress, Double tokensPerSecond) {
  public static final String FIELD = "load";
  public static final String TASKS_IN_PROGRESS = "tasks_in_progress";
  public static final String TOKENS_PER_SECOND = "tokens_per_second";
  public static final int MAX_TASKS = 1_000_000;
  public static final double MAX_TOKENS_PER_SECOND = 1e9;
  private static final Set<String> FIELDS = Set.of(TASKS_IN_PROGRESS, TOKENS_PER_SECOND);

  /** The outcome of {@link #check}: the figures (null when the PONG carried none), or why they are refused. */
  public record Checked(ReportedLoad load, ProtocolError error) {
    public boolean accepted() {
      return error == null;
    }
  }

  /**
   * Checks the {@code load} of a PONG ({@code raw} null: none). A refusal is {@link ErrorCode#INVALID_LOAD} naming the
   * field; the PONG itself still counts as a sign of life.
   */
  public static Checked check(Object raw) {
    if (raw == null) {
      return new Checked(null, null);
    }
    if (!(raw instanceof JsonObject json)) {
      return invalid("load must be a JSON object");
    }
    for (String field : json.fieldNames()) {
      if (!FIELDS.contains(field)) {
        return invalid("load." + (field.length() <= 64 ? field : field.substring(0, 64) + "…")
            + " is not a load figure (allowed: " + TASKS_IN_PROGRESS + ", " + TOKENS_PER_SECOND + ")");
      }
    }
    Object tasks = json.getValue(TASKS_IN_PROGRESS);
    if (tasks != null && !(tasks instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
        && n.doubleValue() >= 0 && n.doubleValue() <= MAX_TASKS)) {
      return invalid("load." + TASKS_IN_PROGRESS + " must be an integer from 0 to " + MAX_TASKS);
    }
    Object rate = json.getValue(TOKENS_PER_SECOND);
    if (rate != null && !(rate instanceof Number n && n.doubleValue() >= 0
        && n.doubleValue() <= MAX_TOKENS_PER_SECOND)) {
      return invalid("load." + TOKENS_PER_SECOND + " must be a number from 0 to 1e9");
    }
    return new Checked(new ReportedLoad(tasks == null ? null : ((Number) tasks).intValue(),
        rate == null ? null : ((Number) rate).doubleValue()), null);
  }

  private static Checked invalid(String text) {
    return new Checked(null, new ProtocolError(ErrorCode.INVALID_LOAD, text));
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    if (tasksInProgress != null) {
      json.put(TASKS_IN_PROGRESS, tasksInProgress);
    }
    if (tokensPerSecond != null) {
      json.put(TOKENS_PER_SECOND, tokensPerSecond);
    }
    return json;
  }

  /** Null for null: an agent that reports nothing. */
  public static ReportedLoad fromJson(JsonObject json) {
    return json == null ? null : new ReportedLoad(json.getInteger(TASKS_IN_PROGRESS),
        json.getDouble(TOKENS_PER_SECOND));
  }
}
