package io.agenthub.bench;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;

/**
 * What the streams scenario's agents sent and its viewers got. An agent records each stream's whole text and each
 * chunk's send time ({@link System#nanoTime()}, just before the write) under the stream's id; a viewer reads them
 * back to measure, for each chunk, delivery time minus send time, and to compare what it got with what was sent.
 * Agents and viewers run on several event loops: shared state is concurrent, histograms are kept per viewer and
 * merged once every viewer is done.
 */
final class StreamTally {
  /** One stream as its agent writes it. */
  record Sent(String text, int chunkChars, AtomicLongArray sentNanos, AtomicInteger written) {
    int chunks() {
      return sentNanos.length();
    }

    /** The text of the chunks written so far (all of them once the stream ended). */
    String textWritten() {
      return text.substring(0, written.get() * chunkChars);
    }

    String delta(int seq) {
      return text.substring(seq * chunkChars, (seq + 1) * chunkChars);
    }
  }

  private final Map<String, Sent> sent = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
  final LongAdder chunksSent = new LongAdder();
  final LongAdder endsConfirmed = new LongAdder();
  /** Opted-in viewers that got their stream's first chunk. */
  final LongAdder firstChunks = new LongAdder();
  /** Set once the measurements are taken: agents end their streams at their next chunk's time. */
  volatile boolean wrapUp;
  /** Streams an agent is writing, chunks not all sent yet. */
  final LongAdder writing = new LongAdder();

  void opened(String streamId, Sent stream) {
    sent.put(streamId, stream);
  }

  Sent sent(String streamId) {
    return sent.get(streamId);
  }

  void error(String who, String what) {
    errors.computeIfAbsent(who + ": " + what, key -> new LongAdder()).increment();
  }

  long errorCount() {
    return errors.values().stream().mapToLong(LongAdder::sum).sum();
  }

  JsonObject errorsJson() {
    JsonObject json = new JsonObject();
    new TreeMap<>(errors).forEach((what, count) -> json.put(what, count.sum()));
    return json;
  }

  /** What viewers measured, merged. */
  static final class Seen {
    final Histogram addedMicros = RoundTripResult.newHistogram();
    final Histogram firstTokenMicros = RoundTripResult.newHistogram();
    long chunksInWindow;
    long framesInWindow;
    long lost;
    long repeated;
    long textMismatches;
    long replyMismatches;
    /** REPLYs after the first for the same question (the monitoring copy's and the routed one). */
    long extraReplies;
    long unfinished;
    long streamsChecked;
    long legacyReplies;

    void add(Seen other) {
      addedMicros.add(other.addedMicros);
      firstTokenMicros.add(other.firstTokenMicros);
      chunksInWindow += other.chunksInWindow;
      framesInWindow += other.framesInWindow;
      lost += other.lost;
      repeated += other.repeated;
      textMismatches += other.textMismatches;
      replyMismatches += other.replyMismatches;
      extraReplies += other.extraReplies;
      unfinished += other.unfinished;
      streamsChecked += other.streamsChecked;
      legacyReplies += other.legacyReplies;
    }
  }
}
