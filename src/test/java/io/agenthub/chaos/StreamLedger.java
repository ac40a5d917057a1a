package io.agenthub.chaos;

import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the stream viewers of a chaos run saw, stream by stream: every chunk seq received and how often, the text,
 * and the end. A chunk of a stream that ended and was never received is lost; one received twice is repeated; a
 * complete stream whose text is not the agent's whole answer is a mismatch; a stream started and never ended is
 * unfinished. Written from the viewers' event loops, so its methods are synchronized.
 */
final class StreamLedger {
  private static final class Seen {
    final String expected;
    final Map<Long, Integer> received = new HashMap<>();
    final StringBuilder text = new StringBuilder();
    String reason;
    String code;
    long chunks = -1;

    Seen(String expected) {
      this.expected = expected;
    }
  }

  private final Map<String, Seen> streams = new HashMap<>();
  private final Set<String> asked = new HashSet<>();
  private final Set<String> answered = new HashSet<>();
  private final Map<String, Integer> errors = new TreeMap<>();

  synchronized void asked(String questionId) {
    asked.add(questionId);
  }

  synchronized void started(String questionId, String streamId, String expected) {
    answered.add(questionId);
    streams.putIfAbsent(streamId, new Seen(expected));
  }

  synchronized void chunks(String streamId, long seq, long lastSeq, String delta) {
    Seen seen = streams.get(streamId);
    for (long s = seq; s <= lastSeq; s++) {
      seen.received.merge(s, 1, Integer::sum);
    }
    seen.text.append(delta);
  }

  synchronized void ended(String streamId, String reason, String code, long chunks) {
    Seen seen = streams.get(streamId);
    seen.reason = reason;
    seen.code = code;
    seen.chunks = chunks;
  }

  synchronized void error(String viewer, String code) {
    errors.merge(code, 1, Integer::sum);
  }

  synchronized JsonObject summary() {
    long lost = 0;
    long repeated = 0;
    long mismatched = 0;
    long unfinished = 0;
    Map<String, Integer> ends = new TreeMap<>();
    for (Seen seen : streams.values()) {
      repeated += seen.received.values().stream().mapToLong(count -> count - 1).sum();
      if (seen.reason == null) {
        unfinished++;
        continue;
      }
      ends.merge(seen.reason + (seen.code == null ? "" : "/" + seen.code), 1, Integer::sum);
      for (long seq = 0; seq < seen.chunks; seq++) {
        lost += seen.received.containsKey(seq) ? 0 : 1;
      }
      if ("complete".equals(seen.reason) && !seen.expected.equals(seen.text.toString())) {
        mismatched++;
      }
    }
    JsonObject endsJson = new JsonObject();
    ends.forEach(endsJson::put);
    JsonObject errorsJson = new JsonObject();
    errors.forEach(errorsJson::put);
    return new JsonObject().put("questions", asked.size()).put("questions_without_stream", asked.size()
            - answered.size()).put("streams", streams.size()).put("streams_unfinished", unfinished)
        .put("stream_ends", endsJson).put("lost_chunks", lost).put("repeated_chunks", repeated)
        .put("text_mismatches", mismatched).put("stream_errors", errorsJson);
  }
}
