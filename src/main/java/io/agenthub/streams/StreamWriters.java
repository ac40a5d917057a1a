package io.agenthub.streams;

import io.agenthub.bus.StreamAddresses;
import io.agenthub.bus.StreamChunk;
import io.agenthub.bus.StreamEvent;
import io.agenthub.bus.StreamFinish;
import io.agenthub.bus.StreamOpen;
import io.agenthub.bus.StreamOpened;
import io.agenthub.clock.HubClock;
import io.agenthub.protocol.ErrorCode;
import io.agenthub.protocol.StreamEndReason;
import io.agenthub.protocol.StreamHeader;
import io.agenthub.protocol.StreamIds;
import io.agenthub.protocol.Timestamps;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The streams this instance writes: those of the agents whose sockets it holds. Opens them (checking that the message
 * was handed to the agent), takes them back after an agent reconnected, and keeps each chunk in order before
 * publishing it to the viewers. Touched only on the streams verticle's context.
 */
final class StreamWriters {
  private static final Logger LOG = LoggerFactory.getLogger(StreamWriters.class);
  private static final int TAKEOVER_ATTEMPTS = 5;

  private final EventBus bus;
  private final HubClock clock;
  private final String nodeId;
  private final Supplier<StreamSettings> settings;
  private final StreamStore store;
  private final StreamEnding ending;
  private final Map<String, Writing> writing = new HashMap<>();
  /** Per stream, the append in progress: the next waits for it, so chunks reach the store in order. */
  private final Map<String, Future<Void>> appends = new HashMap<>();

  StreamWriters(EventBus bus, HubClock clock, String nodeId, Supplier<StreamSettings> settings, StreamStore store,
      StreamEnding ending) {
    this.bus = bus;
    this.clock = clock;
    this.nodeId = nodeId;
    this.settings = settings;
    this.store = store;
    this.ending = ending;
  }

  Future<StreamOpened> open(StreamOpen request) {
    if (request.streamId() != null) {
      return reattach(request.agentId(), request.streamId());
    }
    return store.ask(request.agentId(), request.inReplyTo()).compose(ask -> {
      if (ask == null) {
        return Refused.with(ErrorCode.STREAM_NOT_ASKED, "Message " + request.inReplyTo() + " was not handed to "
            + request.agentId() + " (or longer ago than STREAM_ASK_TTL); answer it with a REPLY");
      }
      if (ask.streamId() != null) {
        return reattach(request.agentId(), ask.streamId());
      }
      return create(request, ask.requesterId());
    });
  }

  private Future<StreamOpened> create(StreamOpen request, String requesterId) {
    StreamSettings current = settings.get();
    long open = writing.values().stream().filter(w -> w.agentId().equals(request.agentId())).count();
    if (open >= current.maxOpenPerAgent()) {
      return Refused.with(ErrorCode.STREAM_LIMIT, request.agentId() + " has " + open
          + " streams open (STREAM_MAX_OPEN_PER_AGENT); end one first");
    }
    if (!store.hasRoom()) {
      return Refused.with(ErrorCode.STREAM_LIMIT, "The hub's stream memory is full (STREAM_STORE_MAX_CHARS); "
          + "answer with a REPLY or retry later");
    }
    Instant now = clock.now();
    StreamHeader header = new StreamHeader(StreamIds.generate(), request.agentId(), request.agentName(),
        requesterId, request.inReplyTo(), Timestamps.format(now));
    StreamRecord record = StreamRecord.opened(header, now, nodeId);
    writing.put(header.streamId(), new Writing(record, now, true));
    return store.put(record, current.openTtl())
        .compose(v -> store.bindAsk(request.agentId(), request.inReplyTo(), header.streamId(), current.askTtl()))
        .compose(v -> store.rememberAnswer(requesterId, request.inReplyTo(), header.streamId(), current.openTtl()))
        .map(v -> {
          StreamOpened opened = new StreamOpened(header, 0);
          bus.publish(StreamAddresses.STREAMS_OPENED, opened.toJson());
          LOG.info("Stream {} opened by {} for {} answering {}", header.streamId(), header.agentId(), requesterId,
              header.inReplyTo());
          return opened;
        });
  }

  /** The agent takes its stream back, here or after reconnecting to another instance, and is told where it was. */
  private Future<StreamOpened> reattach(String agentId, String streamId) {
    Writing local = writing.get(streamId);
    if (local != null && local.agentId().equals(agentId)) {
      writing.put(streamId, new Writing(local.record(), clock.now(), true));
      ending.remindOfCancel(local.record());
      return Future.succeededFuture(new StreamOpened(local.record().header(), local.record().chunks()));
    }
    return takeOver(agentId, streamId, TAKEOVER_ATTEMPTS);
  }

  /**
   * Another instance wrote the stream (its agent was there, or the oldest instance adopted it after a death): this
   * one takes it over with a compare-and-set, read again and retried while another change races it.
   */
  private Future<StreamOpened> takeOver(String agentId, String streamId, int attempts) {
    return store.read(streamId, Long.MAX_VALUE).compose(stored -> {
      Refused refusal = StreamChecks.whyNotWritable(stored, streamId, agentId);
      if (refusal != null) {
        return Future.failedFuture(refusal);
      }
      StreamRecord next = stored.record().takenOverBy(nodeId, stored.chunks());
      return store.replace(stored.record(), next, settings.get().openTtl()).compose(won -> {
        if (!won) {
          return attempts > 1 ? takeOver(agentId, streamId, attempts - 1) : Refused.with(ErrorCode.UNAVAILABLE,
              "Stream " + streamId + " is being taken over by another instance; retry in a moment");
        }
        writing.put(streamId, new Writing(next, clock.now(), true));
        LOG.info("Stream {} taken back by {} at chunk {}", streamId, agentId, next.chunks());
        ending.remindOfCancel(next);
        StreamOpened opened = new StreamOpened(next.header(), next.chunks());
        bus.publish(StreamAddresses.STREAMS_OPENED, opened.toJson());
        return Future.succeededFuture(opened);
      });
    });
  }

  Future<Void> append(StreamChunk chunk) {
    Writing current = writing.get(chunk.streamId());
    if (current == null || !current.agentId().equals(chunk.agentId())) {
      return notWritable(chunk.streamId(), chunk.agentId());
    }
    StreamRecord record = current.record();
    if (chunk.seq() != record.chunks()) {
      return Refused.with(ErrorCode.STREAM_OUT_OF_ORDER, "Chunk " + chunk.seq() + " of " + chunk.streamId()
          + " is out of order: the next chunk must have seq " + record.chunks());
    }
    if (record.chars() + chunk.delta().length() > settings.get().maxChars()) {
      end(current, StreamEndReason.FAILED, ErrorCode.STREAM_TOO_LARGE,
          "The stream's text reached STREAM_MAX_CHARS (" + settings.get().maxChars() + " characters)");
      return Refused.with(ErrorCode.STREAM_TOO_LARGE, "Chunk " + chunk.seq() + " would take " + chunk.streamId()
          + " over STREAM_MAX_CHARS; the stream has ended");
    }
    Instant now = clock.now();
    writing.put(chunk.streamId(), current.with(record.appended(1, chunk.delta().length()), now));
    StreamEvent.Appended event = new StreamEvent.Appended(chunk.seq(), chunk.delta());
    return afterPreviousAppend(chunk.streamId(),
        () -> store.append(chunk.streamId(), chunk.seq(), List.of(chunk.delta()), settings.get().openTtl()))
        .onSuccess(v -> bus.publish(StreamAddresses.stream(chunk.streamId()), event.toJson()));
  }

  /** The agent's end, answered once it is kept: the agent then knows it need not take the stream back. */
  Future<StreamEvent.Ended> finish(StreamFinish finish) {
    Writing current = writing.get(finish.streamId());
    if (current == null || !current.agentId().equals(finish.agentId())) {
      return notWritable(finish.streamId(), finish.agentId());
    }
    if (finish.chunks() != current.record().chunks()) {
      return Refused.with(ErrorCode.STREAM_OUT_OF_ORDER, "The hub kept " + current.record().chunks()
          + " chunks of " + finish.streamId() + ", not " + finish.chunks() + "; send the missing ones, then end it");
    }
    StreamEndReason reason = StreamEndReason.parse(finish.reason()).orElseThrow();
    ErrorCode code = reason == StreamEndReason.FAILED ? ErrorCode.AGENT_FAILED : null;
    return end(current, reason, code, finish.error());
  }

  /** The agent's socket closed: its streams wait STREAM_IDLE_TIMEOUT for it to take them back. */
  void agentGone(String agentId) {
    writing.replaceAll((id, w) -> w.agentId().equals(agentId) ? w.detached() : w);
  }

  /** This instance writes the stream no more (it ended, or another instance took it over). */
  Writing release(String streamId) {
    appends.remove(streamId);
    return writing.remove(streamId);
  }

  Writing writing(String streamId) {
    return writing.get(streamId);
  }

  /** Another instance's stream, written here from now on (its writer died); its agent may still take it back. */
  void adopt(StreamRecord adopted) {
    writing.put(adopted.streamId(), new Writing(adopted, clock.now(), false));
  }

  List<Writing> all() {
    return List.copyOf(writing.values());
  }

  /** Completes with the end as the viewers are told it, once it is kept. */
  Future<StreamEvent.Ended> end(Writing current, StreamEndReason reason, ErrorCode code, String text) {
    String streamId = current.record().streamId();
    Future<Void> appended = appends.getOrDefault(streamId, Future.succeededFuture());
    release(streamId);
    return appended.transform(done -> ending.end(current.record(), reason, code, text));
  }

  /**
   * The agent is asked to stop, and has STREAM_CANCEL_TIMEOUT to end its stream; an agent that is away cannot be
   * asked, so its stream ends as cancelled at once.
   */
  void cancelRequested(String streamId) {
    Writing current = writing.get(streamId);
    if (current != null && !current.agentAttached()) {
      end(current, StreamEndReason.CANCELLED, null, "Cancelled while the agent was away");
    } else if (current != null && current.record().cancelRequestedAt() == null) {
      StreamRecord next = current.record().cancelRequested(clock.now());
      writing.put(streamId, current.with(next, current.lastActivity()));
      store.put(next, settings.get().openTtl());
      ending.remindOfCancel(next);
    }
  }

  private Future<Void> afterPreviousAppend(String streamId, Supplier<Future<Void>> append) {
    Future<Void> chained = appends.getOrDefault(streamId, Future.succeededFuture()).transform(previous -> append.get());
    appends.put(streamId, chained);
    return chained;
  }

  /** Why a chunk or end for a stream not written here is refused, read from the store. */
  private <T> Future<T> notWritable(String streamId, String agentId) {
    return store.read(streamId, Long.MAX_VALUE).compose(stored -> {
      Refused refusal = StreamChecks.whyNotWritable(stored, streamId, agentId);
      return refusal != null ? Future.failedFuture(refusal) : Refused.with(ErrorCode.STREAM_UNKNOWN, "Stream "
          + streamId + " is not open on this connection; take it back with STREAM_START and its stream_id first");
    });
  }
}
