package io.agenthub.streams;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The streams of a cluster, in Vert.x shared-data maps that the Hazelcast cluster manager keeps (each entry with a
 * backup on another member, so one member's death loses nothing, and evicted by size, see {@code ClusterSupport}).
 * Chunks are kept in pages of {@value #PAGE} under {@code <stream id>:<page>}, so a chunk costs one small write and
 * a join reads a few pages; the writer keeps the page it is filling, so it never reads before writing. Records are
 * plain JSON ({@link StreamRecord#toStoreJson}).
 */
final class SharedStreamStore implements StreamStore {
  static final int PAGE = 32;
  /** Pages being filled that this instance remembers: one per stream it writes, the least recently used dropped. */
  private static final int OPEN_PAGES = 10_000;

  private record OpenPage(long index, JsonArray deltas) {
  }

  private final AsyncMap<String, JsonObject> records;
  private final AsyncMap<String, JsonArray> pages;
  private final AsyncMap<String, JsonObject> asks;
  private final Map<String, OpenPage> openPages = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, OpenPage> eldest) {
      return size() > OPEN_PAGES;
    }
  };

  private SharedStreamStore(AsyncMap<String, JsonObject> records, AsyncMap<String, JsonArray> pages,
      AsyncMap<String, JsonObject> asks) {
    this.records = records;
    this.pages = pages;
    this.asks = asks;
  }

  static Future<StreamStore> open(Vertx vertx) {
    Future<AsyncMap<String, JsonObject>> records = vertx.sharedData().getAsyncMap("agenthub.streams.records");
    Future<AsyncMap<String, JsonArray>> pages = vertx.sharedData().getAsyncMap("agenthub.streams.pages");
    Future<AsyncMap<String, JsonObject>> asks = vertx.sharedData().getAsyncMap("agenthub.streams.asks");
    return Future.all(records, pages, asks)
        .map(all -> new SharedStreamStore(records.result(), pages.result(), asks.result()));
  }

  @Override
  public Future<Void> recordAsk(String agentId, String messageId, String requesterId, Duration ttl) {
    return asks.put(askKey(agentId, messageId), new JsonObject().put("requester_id", requesterId), ttl.toMillis());
  }

  @Override
  public Future<Ask> ask(String agentId, String messageId) {
    return asks.get(askKey(agentId, messageId)).map(json -> json == null ? null
        : new Ask(json.getString("requester_id"), json.getString("stream_id")));
  }

  @Override
  public Future<Void> bindAsk(String agentId, String messageId, String streamId, Duration ttl) {
    String key = askKey(agentId, messageId);
    return asks.get(key).compose(json -> json == null ? Future.succeededFuture()
        : asks.put(key, json.copy().put("stream_id", streamId), ttl.toMillis()));
  }

  @Override
  public Future<Void> rememberAnswer(String requesterId, String messageId, String streamId, Duration ttl) {
    return asks.put(answerKey(requesterId, messageId), new JsonObject().put("stream_id", streamId), ttl.toMillis());
  }

  @Override
  public Future<String> answering(String requesterId, String messageId) {
    return asks.get(answerKey(requesterId, messageId)).map(json -> json == null ? null : json.getString("stream_id"));
  }

  @Override
  public Future<Void> put(StreamRecord record, Duration ttl) {
    return records.put(record.streamId(), record.toStoreJson(), ttl.toMillis());
  }

  @Override
  public Future<Boolean> replace(StreamRecord expected, StreamRecord next, Duration ttl) {
    return records.get(expected.streamId()).compose(kept -> {
      if (kept == null || !StreamRecord.fromStoreJson(kept).equals(expected)) {
        return Future.succeededFuture(false);
      }
      // Hazelcast's AsyncMap swaps an entry only without a time to live, so the winner sets it again at once.
      return records.replaceIfPresent(expected.streamId(), kept, next.toStoreJson()).compose(won -> won
          ? put(next, ttl).map(true) : Future.succeededFuture(false));
    });
  }

  @Override
  public Future<Void> append(String streamId, long firstSeq, List<String> deltas, Duration ttl) {
    Future<Void> written = Future.succeededFuture();
    long seq = firstSeq;
    for (String delta : deltas) {
      long at = seq++;
      written = written.compose(v -> appendOne(streamId, at, delta, ttl));
    }
    return written;
  }

  private Future<Void> appendOne(String streamId, long seq, String delta, Duration ttl) {
    long index = seq / PAGE;
    OpenPage open = openPages.get(streamId);
    Future<JsonArray> page = open != null && open.index() == index ? Future.succeededFuture(open.deltas())
        : seq % PAGE == 0 ? Future.succeededFuture(new JsonArray())
        : pages.get(pageKey(streamId, index)).map(kept -> kept == null ? new JsonArray() : kept);
    return page.compose(deltas -> {
      if (deltas.size() != seq % PAGE) {
        return Future.failedFuture("chunk " + seq + " of " + streamId + " does not follow what is kept");
      }
      JsonArray next = deltas.copy().add(delta);
      openPages.put(streamId, new OpenPage(index, next));
      return pages.put(pageKey(streamId, index), next, ttl.toMillis());
    });
  }

  @Override
  public Future<Stored> read(String streamId, long fromSeq) {
    return records.get(streamId).compose(json -> {
      if (json == null) {
        return Future.succeededFuture(null);
      }
      StreamRecord record = StreamRecord.fromStoreJson(json);
      long firstPage = Math.min(fromSeq, record.chunks()) / PAGE;
      return readPages(streamId, firstPage, fromSeq, new ArrayList<>())
          .map(counted -> new Stored(record, counted.chunks(), counted.deltas()));
    });
  }

  private record Counted(long chunks, List<String> deltas) {
  }

  /** Reads pages from {@code index} until one is missing or not full: the chunks kept, and their text from a seq. */
  private Future<Counted> readPages(String streamId, long index, long fromSeq, List<String> collected) {
    return pages.get(pageKey(streamId, index)).compose(page -> {
      int size = page == null ? 0 : page.size();
      for (int i = 0; i < size; i++) {
        if (index * PAGE + i >= fromSeq) {
          collected.add(page.getString(i));
        }
      }
      return size == PAGE ? readPages(streamId, index + 1, fromSeq, collected)
          : Future.succeededFuture(new Counted(index * PAGE + size, collected));
    });
  }

  @Override
  public Future<List<StreamRecord>> orphansOf(String nodeId) {
    return records.values().map(all -> all.stream().map(StreamRecord::fromStoreJson)
        .filter(record -> nodeId.equals(record.writerNode()) && (record.isOpen() || !record.replyForwarded()))
        .toList());
  }

  @Override
  public boolean hasRoom() {
    return true;
  }

  private static String askKey(String agentId, String messageId) {
    return agentId + "/" + messageId;
  }

  private static String answerKey(String requesterId, String messageId) {
    return "answer:" + requesterId + "/" + messageId;
  }

  private static String pageKey(String streamId, long index) {
    return streamId + ":" + index;
  }
}
