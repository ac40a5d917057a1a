package io.agenthub.streams;

import io.agenthub.clock.HubClock;
import io.agenthub.protocol.ErrorCode;
import io.agenthub.protocol.StreamEndReason;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bounds of time on open streams, checked once a second on the streams this instance writes: a cancel the agent
 * does not acknowledge within STREAM_CANCEL_TIMEOUT, no chunk for STREAM_IDLE_TIMEOUT (the agent went silent, or left
 * and did not take the stream back), open for STREAM_MAX_AGE. Each ends the stream with the reason that cut it. Also
 * takes over, on the oldest instance, the streams of an instance that died.
 */
final class StreamSweeper {
  private static final Logger LOG = LoggerFactory.getLogger(StreamSweeper.class);

  private final HubClock clock;
  private final String nodeId;
  private final Supplier<StreamSettings> settings;
  private final StreamStore store;
  private final StreamWriters writers;
  private final StreamEnding ending;

  StreamSweeper(HubClock clock, String nodeId, Supplier<StreamSettings> settings, StreamStore store,
      StreamWriters writers, StreamEnding ending) {
    this.clock = clock;
    this.nodeId = nodeId;
    this.settings = settings;
    this.store = store;
    this.writers = writers;
    this.ending = ending;
  }

  void sweep() {
    Instant now = clock.now();
    StreamSettings current = settings.get();
    for (Writing stream : writers.all()) {
      StreamRecord record = stream.record();
      if (record.cancelRequestedAt() != null && passed(record.cancelRequestedAt(), current.cancelTimeout(), now)) {
        endIfStillWriter(stream, StreamEndReason.CANCELLED, ErrorCode.CANCEL_TIMEOUT,
            "The agent did not end its stream within STREAM_CANCEL_TIMEOUT of the cancel; it was cut off");
      } else if (passed(stream.lastActivity(), current.idleTimeout(), now)) {
        endIfStillWriter(stream, StreamEndReason.FAILED,
            stream.agentAttached() ? ErrorCode.STREAM_IDLE_TIMEOUT : ErrorCode.AGENT_DISCONNECTED,
            stream.agentAttached() ? "No chunk came from the agent for STREAM_IDLE_TIMEOUT"
                : "The agent's connection was lost and it did not take the stream back within STREAM_IDLE_TIMEOUT");
      } else if (passed(record.startedAt(), current.maxAge(), now)) {
        endIfStillWriter(stream, StreamEndReason.FAILED, ErrorCode.STREAM_TOO_OLD,
            "The stream was open for STREAM_MAX_AGE");
      }
    }
    if (store instanceof LocalStreamStore local) {
      local.sweep();
    }
  }

  /** The streams an instance that died was writing: open ones wait for their agents here, ended ones get a REPLY. */
  void adoptOrphans(String departedNode) {
    store.orphansOf(departedNode).onSuccess(orphans -> {
      for (StreamRecord orphan : orphans) {
        if (orphan.isOpen()) {
          adopt(orphan);
        } else {
          ending.forwardReply(orphan);
        }
      }
      if (!orphans.isEmpty()) {
        LOG.info("Instance {} left: {} of its streams taken over by {}", departedNode, orphans.size(), nodeId);
      }
    }).onFailure(e -> LOG.error("Streams of instance {} not taken over: {}", departedNode, e.getMessage()));
  }

  /**
   * Makes this instance the writer of another's stream, unless it was taken meanwhile (its agent reconnected and took
   * it back elsewhere, or another instance adopted it): then it fails, and the stream stays with its new writer.
   */
  Future<StreamRecord> adopt(StreamRecord record) {
    return store.read(record.streamId(), Long.MAX_VALUE).compose(stored -> {
      if (stored == null || !stored.record().isOpen()) {
        return Future.failedFuture("stream " + record.streamId() + " is no longer open");
      }
      if (stored.record().attachment() != record.attachment()) {
        return Future.failedFuture(
            "stream " + record.streamId() + " was taken over by " + stored.record().writerNode());
      }
      StreamRecord next = stored.record().takenOverBy(nodeId, stored.chunks());
      return store.replace(stored.record(), next, settings.get().openTtl())
          .compose(won -> won ? Future.succeededFuture(next)
              : Future.failedFuture("stream " + record.streamId() + " was taken over meanwhile"));
    }).onSuccess(writers::adopt);
  }

  /** In a cluster another instance may have taken the stream over meanwhile: then it only leaves this one. */
  private void endIfStillWriter(Writing stream, StreamEndReason reason, ErrorCode code, String text) {
    if (store instanceof LocalStreamStore) {
      writers.end(stream, reason, code, text);
      return;
    }
    String streamId = stream.record().streamId();
    writers.release(streamId);
    store.read(streamId, Long.MAX_VALUE).onSuccess(stored -> {
      if (stored != null && stored.record().isOpen() && nodeId.equals(stored.record().writerNode())
          && stored.record().attachment() == stream.record().attachment()) {
        ending.end(stream.record(), reason, code, text);
      }
    });
  }

  private static boolean passed(Instant since, Duration limit, Instant now) {
    return !since.plus(limit).isAfter(now);
  }
}
