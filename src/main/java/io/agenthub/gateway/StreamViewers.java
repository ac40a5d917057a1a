package io.agenthub.gateway;

import io.agenthub.bus.StreamAddresses;
import io.agenthub.bus.StreamEvent;
import io.agenthub.bus.StreamJoin;
import io.agenthub.bus.StreamRefusal;
import io.agenthub.bus.StreamSnapshot;
import io.agenthub.protocol.ErrorCode;
import io.agenthub.protocol.ProtocolError;
import io.agenthub.protocol.StreamFrames;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sockets of this instance that watch streams (protocol extension "streamed replies"), and what each has seen.
 * A viewer joins a stream from any chunk: the gateway subscribes to the stream's live address first, then asks the
 * streams verticle for what was kept from that chunk on, writes it as one merged chunk, and then the live chunks,
 * skipping those it already wrote, so the viewer gets every chunk once and in order. A viewer whose socket still
 * holds text it has not taken gets the chunks that come meanwhile merged into one, when the socket is free again:
 * it is neither closed nor fed an unbounded queue, and status updates, heartbeats and stream ends never wait behind
 * chunks. Touched only on the gateway's context.
 */
final class StreamViewers {
  private static final Logger LOG = LoggerFactory.getLogger(StreamViewers.class);

  private final EventBus bus;
  private final Refusals refusals;
  /** Per stream watched here: its live subscription and its viewers. */
  private final Map<String, Watched> watched = new HashMap<>();
  /** Per viewing socket: the streams it watches. */
  private final Map<ClientSession, Set<String>> bySession = new HashMap<>();

  StreamViewers(EventBus bus, Refusals refusals) {
    this.bus = bus;
    this.refusals = refusals;
  }

  /** Joins {@code session} to the stream from chunk {@code fromSeq}; a viewer already watching it starts over. */
  void join(ClientSession session, String streamId, long fromSeq) {
    Watched stream = watched.computeIfAbsent(streamId, this::subscribe);
    StreamViewer viewer = new StreamViewer(session, streamId, fromSeq);
    stream.viewers.put(session, viewer);
    bySession.computeIfAbsent(session, s -> new HashSet<>()).add(streamId);
    if (bySession.get(session).size() == 1) {
      session.onDrained(() -> flushAll(session));
    }
    catchUp(stream, viewer);
  }

  /** The socket closed: it watches nothing any more. */
  void leaveAll(ClientSession session) {
    Set<String> streams = bySession.remove(session);
    if (streams != null) {
      streams.forEach(streamId -> remove(streamId, session));
    }
  }

  /** Whether the socket watches the stream already (it is not joined a second time). */
  boolean isViewing(ClientSession session, String streamId) {
    Watched stream = watched.get(streamId);
    return stream != null && stream.viewers.containsKey(session);
  }

  /** How many streams this instance has viewers for. */
  int watchedStreams() {
    return watched.size();
  }

  private Watched subscribe(String streamId) {
    MessageConsumer<JsonObject> consumer = bus.consumer(StreamAddresses.stream(streamId),
        msg -> onEvent(streamId, StreamEvent.fromJson(msg.body())));
    return new Watched(consumer, consumer.completion());
  }

  /** What the viewer missed, once the live subscription is in place, so nothing falls between the two. */
  private void catchUp(Watched stream, StreamViewer viewer) {
    stream.subscribed
        .compose(v -> bus.<JsonObject>request(StreamAddresses.STREAMS_JOIN,
            new StreamJoin(viewer.streamId(), viewer.nextSeq()).toJson()))
        .map(reply -> StreamSnapshot.fromJson(reply.body()))
        .onSuccess(snapshot -> caughtUp(viewer, snapshot))
        .onFailure(e -> joinFailed(viewer, e));
  }

  private void caughtUp(StreamViewer viewer, StreamSnapshot snapshot) {
    if (!isViewing(viewer)) {
      return;
    }
    List<StreamEvent> early = viewer.caughtUp(snapshot);
    if (snapshot.end() != null) {
      viewer.end(snapshot.end());
      remove(viewer.streamId(), viewer.session());
      return;
    }
    early.forEach(event -> apply(viewer, event));
  }

  private void joinFailed(StreamViewer viewer, Throwable failure) {
    if (!isViewing(viewer)) {
      return;
    }
    remove(viewer.streamId(), viewer.session());
    StreamRefusal refusal = StreamRefusal.of(failure);
    ProtocolError error = refusal != null
        ? new ProtocolError(ErrorCode.valueOf(refusal.errorCode()), refusal.text())
        : new ProtocolError(ErrorCode.UNAVAILABLE, "Stream " + viewer.streamId() + " cannot be joined now; retry");
    LOG.debug("{} could not join {}: {}", viewer.session().logId(), viewer.streamId(), error.text());
    refusals.send(viewer.session(), StreamFrames.error(error, viewer.streamId(), null), error.code());
  }

  private void onEvent(String streamId, StreamEvent event) {
    Watched stream = watched.get(streamId);
    if (stream == null) {
      return;
    }
    for (StreamViewer viewer : List.copyOf(stream.viewers.values())) {
      apply(viewer, event);
    }
  }

  private void apply(StreamViewer viewer, StreamEvent event) {
    if (!viewer.hasCaughtUp()) {
      viewer.holdBack(event);
    } else if (event instanceof StreamEvent.Appended appended) {
      if (viewer.gapBefore(appended.seq())) {
        LOG.debug("{} missed a chunk of {} before {}; catching up again", viewer.session().logId(),
            viewer.streamId(), appended.seq());
        viewer.restartCatchUp();
        catchUp(watched.get(viewer.streamId()), viewer);
      } else {
        viewer.chunk(appended);
      }
    } else if (event instanceof StreamEvent.Ended ended) {
      viewer.end(ended);
      remove(viewer.streamId(), viewer.session());
    }
  }

  /** The socket took everything written to it: the chunks merged meanwhile go, one frame per stream. */
  private void flushAll(ClientSession session) {
    Set<String> streams = bySession.get(session);
    if (streams == null) {
      return;
    }
    for (String streamId : List.copyOf(streams)) {
      Watched stream = watched.get(streamId);
      StreamViewer viewer = stream == null ? null : stream.viewers.get(session);
      if (viewer != null) {
        viewer.flush();
      }
    }
  }

  private boolean isViewing(StreamViewer viewer) {
    Watched stream = watched.get(viewer.streamId());
    return stream != null && stream.viewers.get(viewer.session()) == viewer;
  }

  private void remove(String streamId, ClientSession session) {
    Watched stream = watched.get(streamId);
    if (stream == null) {
      return;
    }
    stream.viewers.remove(session);
    Set<String> ofSession = bySession.get(session);
    if (ofSession != null) {
      ofSession.remove(streamId);
    }
    if (stream.viewers.isEmpty()) {
      watched.remove(streamId);
      stream.consumer.unregister();
    }
  }

  /** A stream with viewers on this instance: its live subscription, and the viewers in the order they joined. */
  private static final class Watched {
    final MessageConsumer<JsonObject> consumer;
    final Future<Void> subscribed;
    final Map<ClientSession, StreamViewer> viewers = new LinkedHashMap<>();

    Watched(MessageConsumer<JsonObject> consumer, Future<Void> subscribed) {
      this.consumer = consumer;
      this.subscribed = subscribed;
    }
  }
}
