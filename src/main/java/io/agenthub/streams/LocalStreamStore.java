package io.agenthub.streams;

import io.agenthub.clock.HubClock;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The streams of a hub that runs alone, in its memory: nothing survives a restart of the hub. Bounded: at most
 * {@code maxChars} characters of chunks in all (ended streams are dropped oldest first to stay under it, and no
 * new stream opens while open ones alone hold it), each stream kept until its time to live passes, and at most
 * {@code maxAsks} asks (the oldest forgotten first). A stream's chunks are kept as one text and where each chunk
 * ends in it, not as a string each: agents stream a few characters a chunk, and a 4-character string in a list costs
 * some 56 bytes of heap against the 8 here, so {@code maxChars} bounds the heap the chunks take. Touched only on the
 * streams verticle's context.
 */
final class LocalStreamStore implements StreamStore {
  private static final class Kept {
    StreamRecord record;
    Instant expiresAt;
    final StringBuilder text = new StringBuilder();
    /** Where chunk i ends in {@code text}, for i below {@code chunks}. */
    int[] ends = new int[16];
    int chunks;

    void add(String delta) {
      if (chunks == ends.length) {
        ends = Arrays.copyOf(ends, chunks * 2);
      }
      text.append(delta);
      ends[chunks++] = text.length();
    }

    /** The text of the chunks from {@code from} on, one string. */
    String textFrom(int from) {
      return text.substring(from == 0 ? 0 : ends[from - 1]);
    }

    /** An ended stream grows no more: its spare room goes. */
    void trim() {
      text.trimToSize();
      ends = Arrays.copyOf(ends, chunks);
    }
  }

  private record KeptAsk(Ask ask, Instant expiresAt) {
  }

  private final HubClock clock;
  private final long maxChars;
  private final int maxAsks;
  private final Map<String, Kept> streams = new LinkedHashMap<>();
  private final Map<String, KeptAsk> asks = new LinkedHashMap<>();
  private long chars;

  LocalStreamStore(HubClock clock, long maxChars, int maxAsks) {
    this.clock = clock;
    this.maxChars = maxChars;
    this.maxAsks = maxAsks;
  }

  @Override
  public Future<Void> recordAsk(String agentId, String messageId, String requesterId, Duration ttl) {
    String key = askKey(agentId, messageId);
    KeptAsk earlier = asks.remove(key);
    String streamId = earlier == null ? null : earlier.ask().streamId();
    asks.put(key, new KeptAsk(new Ask(requesterId, streamId), clock.now().plus(ttl)));
    if (asks.size() > maxAsks) {
      Iterator<KeptAsk> oldest = asks.values().iterator();
      oldest.next();
      oldest.remove();
    }
    return Future.succeededFuture();
  }

  @Override
  public Future<Ask> ask(String agentId, String messageId) {
    KeptAsk kept = asks.get(askKey(agentId, messageId));
    return Future.succeededFuture(kept == null || kept.expiresAt().isBefore(clock.now()) ? null : kept.ask());
  }

  @Override
  public Future<Void> bindAsk(String agentId, String messageId, String streamId, Duration ttl) {
    KeptAsk kept = asks.get(askKey(agentId, messageId));
    if (kept != null) {
      asks.put(askKey(agentId, messageId),
          new KeptAsk(new Ask(kept.ask().requesterId(), streamId), clock.now().plus(ttl)));
    }
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> rememberAnswer(String requesterId, String messageId, String streamId, Duration ttl) {
    asks.put(answerKey(requesterId, messageId), new KeptAsk(new Ask(requesterId, streamId), clock.now().plus(ttl)));
    return Future.succeededFuture();
  }

  @Override
  public Future<String> answering(String requesterId, String messageId) {
    KeptAsk kept = asks.get(answerKey(requesterId, messageId));
    return Future.succeededFuture(kept == null || kept.expiresAt().isBefore(clock.now()) ? null
        : kept.ask().streamId());
  }

  @Override
  public Future<Void> put(StreamRecord record, Duration ttl) {
    Kept kept = streams.computeIfAbsent(record.streamId(), id -> new Kept());
    kept.record = record;
    kept.expiresAt = clock.now().plus(ttl);
    if (!record.isOpen()) {
      kept.trim();
    }
    return Future.succeededFuture();
  }

  @Override
  public Future<Boolean> replace(StreamRecord expected, StreamRecord next, Duration ttl) {
    Kept kept = streams.get(expected.streamId());
    if (kept == null || !kept.record.equals(expected)) {
      return Future.succeededFuture(false);
    }
    return put(next, ttl).map(true);
  }

  @Override
  public Future<Void> append(String streamId, long firstSeq, List<String> deltas, Duration ttl) {
    Kept kept = streams.get(streamId);
    if (kept == null || kept.chunks != firstSeq) {
      return Future.failedFuture("chunk " + firstSeq + " of " + streamId + " does not follow what is kept");
    }
    for (String delta : deltas) {
      kept.add(delta);
      chars += delta.length();
    }
    kept.expiresAt = clock.now().plus(ttl);
    return Future.succeededFuture();
  }

  @Override
  public Future<Stored> read(String streamId, long fromSeq) {
    Kept kept = streams.get(streamId);
    if (kept == null || kept.expiresAt.isBefore(clock.now())) {
      return Future.succeededFuture(null);
    }
    int from = (int) Math.min(fromSeq, kept.chunks);
    return Future.succeededFuture(new Stored(kept.record, kept.chunks,
        from == kept.chunks ? List.of() : List.of(kept.textFrom(from))));
  }

  @Override
  public Future<List<StreamRecord>> orphansOf(String nodeId) {
    return Future.succeededFuture(streams.values().stream().map(kept -> kept.record)
        .filter(record -> nodeId.equals(record.writerNode()) && (record.isOpen() || !record.replyForwarded()))
        .toList());
  }

  @Override
  public boolean hasRoom() {
    return chars < maxChars;
  }

  /** Forgets what has expired, then ended streams oldest first while the chunks kept exceed the bound. */
  void sweep() {
    Instant now = clock.now();
    streams.values().removeIf(kept -> kept.expiresAt.isBefore(now) && forget(kept));
    asks.values().removeIf(kept -> kept.expiresAt().isBefore(now));
    for (Iterator<Kept> oldest = streams.values().iterator(); chars > maxChars && oldest.hasNext(); ) {
      Kept kept = oldest.next();
      if (!kept.record.isOpen() && forget(kept)) {
        oldest.remove();
      }
    }
  }

  /** How many characters of chunks are kept, in all. */
  long chars() {
    return chars;
  }

  private boolean forget(Kept kept) {
    chars -= kept.text.length();
    return true;
  }

  private static String askKey(String agentId, String messageId) {
    return agentId + "/" + messageId;
  }

  private static String answerKey(String requesterId, String messageId) {
    return "answer:" + requesterId + "/" + messageId;
  }
}
