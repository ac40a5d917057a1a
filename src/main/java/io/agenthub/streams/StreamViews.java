package io.agenthub.streams;

import io.agenthub.bus.StreamAddresses;
import io.agenthub.bus.StreamCancel;
import io.agenthub.bus.StreamEvent;
import io.agenthub.bus.StreamJoin;
import io.agenthub.bus.StreamResolve;
import io.agenthub.bus.StreamSnapshot;
import io.agenthub.protocol.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

/**
 * What viewers ask about a stream, on any instance: what they missed (a join), and a cancel, which only the client
 * whose message the stream answers may ask for (or an operator), and which goes to the stream's writer.
 */
final class StreamViews {
  private final EventBus bus;
  private final String nodeId;
  private final StreamStore store;
  private final StreamWriters writers;
  private final StreamSweeper sweeper;

  StreamViews(EventBus bus, String nodeId, StreamStore store, StreamWriters writers, StreamSweeper sweeper) {
    this.bus = bus;
    this.nodeId = nodeId;
    this.store = store;
    this.writers = writers;
    this.sweeper = sweeper;
  }

  Future<StreamSnapshot> join(StreamJoin join) {
    return store.read(join.streamId(), join.fromSeq()).compose(stored -> {
      if (stored == null) {
        return Refused.with(ErrorCode.STREAM_UNKNOWN, "Stream " + join.streamId() + " is not known (never opened, "
            + "or ended longer ago than STREAM_RETENTION)");
      }
      StreamRecord record = stored.record();
      long chunks = record.isOpen() ? stored.chunks() : record.chunks();
      long from = Math.min(join.fromSeq(), chunks);
      StreamEvent.Ended end = record.isOpen() ? null : new StreamEvent.Ended(record.ending().reason().wireName(),
          record.chunks(), record.ending().code() == null ? null : record.ending().code().name(),
          record.ending().text());
      return Future.succeededFuture(new StreamSnapshot(record.header(), from, chunks,
          String.join("", stored.deltas()), end));
    });
  }

  /** The stream answering a client's message, for that client only (it resumed and missed the opening). */
  Future<String> resolve(StreamResolve resolve) {
    return store.answering(resolve.clientId(), resolve.inReplyTo()).compose(streamId -> streamId != null
        ? Future.succeededFuture(streamId) : Refused.with(ErrorCode.STREAM_UNKNOWN, "No stream answers message "
            + resolve.inReplyTo() + " of " + resolve.clientId() + " (yet); it will come when one opens"));
  }

  Future<Void> cancel(StreamCancel cancel) {
    return store.read(cancel.streamId(), Long.MAX_VALUE).compose(stored -> {
      if (stored == null) {
        return Refused.with(ErrorCode.STREAM_UNKNOWN, "Stream " + cancel.streamId() + " is not known");
      }
      StreamRecord record = stored.record();
      if (!record.isOpen()) {
        return Refused.with(ErrorCode.STREAM_ENDED, "Stream " + cancel.streamId() + " has already ended ("
            + record.ending().reason().wireName() + ")");
      }
      if (cancel.clientId() != null && !cancel.clientId().equals(record.header().requesterId())) {
        return Refused.with(ErrorCode.STREAM_FORBIDDEN, "Stream " + cancel.streamId()
            + " answers another client's message; only that client may cancel it");
      }
      return askWriter(record, cancel);
    });
  }

  /** The writer asks the agent to stop; a writer that is gone cannot, so its stream is taken over and cancelled. */
  private Future<Void> askWriter(StreamRecord record, StreamCancel cancel) {
    if (record.writerNode().equals(nodeId)) {
      writers.cancelRequested(record.streamId());
      return Future.succeededFuture();
    }
    return bus.request(StreamAddresses.streamWriter(record.writerNode()), cancel.toJson()).<Void>mapEmpty()
        .recover(e -> e instanceof ReplyException reply && reply.failureType() == ReplyFailure.NO_HANDLERS
            ? sweeper.adopt(record).map(adopted -> {
              writers.cancelRequested(record.streamId());
              return null;
            })
            : Future.failedFuture(e));
  }
}
