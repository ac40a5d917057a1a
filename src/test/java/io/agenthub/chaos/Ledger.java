package io.agenthub.chaos;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Every chat message a chaos run sent, by {@code message_id}, and what its frontend saw about it: answers (the REPLY
 * naming it in {@code in_reply_to_message_id}, directly or as a monitoring copy) and ERRORs naming it. Frontends are
 * named by a stable key, not their hub id, which changes when they register again; only the frontend that sent a
 * message counts what arrives about it. Called from many event loops, so every method is synchronized.
 */
final class Ledger {
  /** Whose promise a message falls under: the contract's, or that of an instance that died under it. */
  enum Group { CONTRACT, ON_LOST_INSTANCE }

  private static final int IDS_SHOWN = 10;

  private static final class Entry {
    final String frontend;
    final long sentNanos;
    Group group = Group.CONTRACT;
    long firstAnswerNanos = -1;
    int answerFrames;
    final Set<String> replyIds = new HashSet<>();
    final List<String> errorCodes = new ArrayList<>();

    Entry(String frontend, long sentNanos) {
      this.frontend = frontend;
      this.sentNanos = sentNanos;
    }

    boolean resolved() {
      return answerFrames > 0 || !errorCodes.isEmpty();
    }
  }

  private final Map<String, Entry> entries = new LinkedHashMap<>();

  synchronized void sent(String frontend, String messageId, long nanos) {
    entries.put(messageId, new Entry(frontend, nanos));
  }

  /** A REPLY that a frontend received; ignored unless it answers one of that frontend's messages. */
  synchronized boolean answered(String frontend, String inReplyTo, String replyId, long nanos) {
    Entry entry = entries.get(inReplyTo);
    if (entry == null || !entry.frontend.equals(frontend)) {
      return false;
    }
    if (entry.firstAnswerNanos < 0) {
      entry.firstAnswerNanos = nanos;
    }
    entry.answerFrames++;
    entry.replyIds.add(replyId == null ? "" : replyId);
    return true;
  }

  /** An ERROR that a frontend received; ignored unless it names one of that frontend's messages. */
  synchronized boolean error(String frontend, String inReplyTo, String code) {
    Entry entry = entries.get(inReplyTo);
    if (entry == null || !entry.frontend.equals(frontend)) {
      return false;
    }
    entry.errorCodes.add(code);
    return true;
  }

  /** The frontend's unresolved messages were in flight on an instance that died: the contract cannot promise them. */
  synchronized void moveUnresolvedToLostInstance(String frontend) {
    entries.values().stream().filter(entry -> entry.frontend.equals(frontend) && !entry.resolved())
        .forEach(entry -> entry.group = Group.ON_LOST_INSTANCE);
  }

  synchronized long unresolved() {
    return entries.values().stream().filter(entry -> !entry.resolved()).count();
  }

  synchronized long unresolved(String frontend) {
    return entries.values().stream().filter(entry -> entry.frontend.equals(frontend) && !entry.resolved()).count();
  }

  /**
   * Milliseconds from {@code faultEndNanos} to the first answer of a message sent at or after it (by one frontend
   * if {@code frontend} is not null), or null if none was answered.
   */
  synchronized Double recoveryMillis(long faultEndNanos, String frontend) {
    return entries.values().stream()
        .filter(entry -> entry.sentNanos >= faultEndNanos && entry.firstAnswerNanos >= 0)
        .filter(entry -> frontend == null || entry.frontend.equals(frontend))
        .mapToLong(entry -> entry.firstAnswerNanos).min()
        .stream().mapToDouble(first -> Math.round((first - faultEndNanos) / 1e4) / 100.0).boxed()
        .findFirst().orElse(null);
  }

  /**
   * The figures of one group: sent, answered, messages whose only outcome was an ERROR (by error_code), silently
   * lost (neither), duplicated answers (extra REPLY frames one frontend saw for one message: {@code repeated_frames}
   * counts a REPLY id seen again, one frame written twice, e.g. again on a resumed socket;
   * {@code duplicated_agent_answers} counts further REPLY ids, i.e. two distinct replies to one question, an agent
   * that answered one TEXT twice), and false FORWARD_FAILED (answered although the hub said it certainly never
   * reached RabbitMQ).
   */
  synchronized JsonObject summary(Group group) {
    long sent = 0;
    long answered = 0;
    long answeredAfterOutcomeUnknown = 0;
    long lost = 0;
    long duplicateFrames = 0;
    long repeatedFrames = 0;
    long duplicateAgentAnswers = 0;
    long falseForwardFailed = 0;
    Map<String, Long> errors = new TreeMap<>();
    JsonArray lostIds = new JsonArray();
    JsonArray duplicatedIds = new JsonArray();
    for (Map.Entry<String, Entry> row : entries.entrySet()) {
      Entry entry = row.getValue();
      if (entry.group != group) {
        continue;
      }
      sent++;
      if (entry.answerFrames > 0) {
        answered++;
        duplicateFrames += entry.answerFrames - 1;
        repeatedFrames += entry.answerFrames - entry.replyIds.size();
        duplicateAgentAnswers += entry.replyIds.size() - 1;
        if (entry.answerFrames > 1 && duplicatedIds.size() < IDS_SHOWN) {
          duplicatedIds.add(row.getKey());
        }
        if (entry.errorCodes.contains("FORWARD_FAILED")) {
          falseForwardFailed++;
        }
        if (entry.errorCodes.contains("FORWARD_OUTCOME_UNKNOWN")) {
          answeredAfterOutcomeUnknown++;
        }
      } else if (!entry.errorCodes.isEmpty()) {
        errors.merge(entry.errorCodes.get(0), 1L, Long::sum);
      } else {
        lost++;
        if (lostIds.size() < IDS_SHOWN) {
          lostIds.add(row.getKey());
        }
      }
    }
    JsonObject errorsByCode = new JsonObject();
    errors.forEach(errorsByCode::put);
    return new JsonObject()
        .put("sent", sent)
        .put("answered", answered)
        .put("explicit_errors", errors.values().stream().mapToLong(Long::longValue).sum())
        .put("errors_by_code", errorsByCode)
        .put("silently_lost", lost)
        .put("duplicated", duplicateFrames)
        .put("repeated_frames", repeatedFrames)
        .put("duplicated_agent_answers", duplicateAgentAnswers)
        .put("false_forward_failed", falseForwardFailed)
        .put("answered_after_outcome_unknown", answeredAfterOutcomeUnknown)
        .put("lost_ids", lostIds)
        .put("duplicated_ids", duplicatedIds);
  }
}
