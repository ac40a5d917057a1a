package io.agenthub.streams;

import io.agenthub.bus.Addresses;
import io.agenthub.bus.StreamAddresses;
import io.agenthub.bus.ForwardRequest;
import io.agenthub.bus.StreamCancelNotice;
import io.agenthub.bus.StreamEvent;
import io.agenthub.clock.HubClock;
import io.agenthub.protocol.ErrorCode;
import io.agenthub.protocol.StreamEndReason;
import io.agenthub.protocol.StreamFrames;
import io.agenthub.protocol.Timestamps;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The end of a stream, however it came: kept as ended (joinable for STREAM_RETENTION), announced to every viewer,
 * then answered as a non-streaming agent would have answered: one REPLY with the whole text, published to
 * {@code broker_input_queue} through the bridge, so clients that did not opt in (and the brokers) see exactly
 * today's traffic, monitoring copies included. A REPLY that RabbitMQ does not confirm is published again, with
 * backoff, until it is; its message id is derived from the stream's, so a repeat can be told apart.
 */
final class StreamEnding {
  private static final Logger LOG = LoggerFactory.getLogger(StreamEnding.class);
  private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
  private static final Duration LAST_RETRY = Duration.ofSeconds(30);
  private static final long FORWARD_TIMEOUT_MS = 15_000;

  private final Vertx vertx;
  private final HubClock clock;
  private final Supplier<StreamSettings> settings;
  private final StreamStore store;
  private boolean stopped;

  StreamEnding(Vertx vertx, HubClock clock, Supplier<StreamSettings> settings, StreamStore store) {
    this.vertx = vertx;
    this.clock = clock;
    this.settings = settings;
    this.store = store;
  }

  /** Completes with the end as the viewers are told it, once it is kept. */
  Future<StreamEvent.Ended> end(StreamRecord record, StreamEndReason reason, ErrorCode code, String text) {
    StreamRecord ended = record.ended(new StreamRecord.Ending(reason, code, text, clock.now()));
    StreamEvent.Ended event =
        new StreamEvent.Ended(reason.wireName(), ended.chunks(), code == null ? null : code.name(), text);
    return store.put(ended, settings.get().retention()).andThen(kept -> {
      vertx.eventBus().publish(StreamAddresses.stream(ended.streamId()), event.toJson());
      LOG.info("Stream {} of {} ended: {}{} after {} chunks", ended.streamId(), ended.header().agentId(),
          reason.wireName(), code == null ? "" : " (" + code + ")", ended.chunks());
      forwardReply(ended);
    }).map(event);
  }

  /** Publishes the REPLY of an ended stream, retrying until RabbitMQ confirms it. */
  void forwardReply(StreamRecord ended) {
    forwardReply(ended, FIRST_RETRY);
  }

  /** A cancel asked for reaches the agent through the gateway holding its socket (here, on the writer). */
  void remindOfCancel(StreamRecord record) {
    if (record.cancelRequestedAt() != null) {
      vertx.eventBus().send(StreamAddresses.GATEWAY_STREAM_CANCEL, new StreamCancelNotice(record.header().agentId(),
          record.streamId(), record.header().inReplyTo()).toJson());
    }
  }

  /** The verticle stops: a REPLY still being retried is given up, and said so. */
  void stop() {
    stopped = true;
  }

  private void forwardReply(StreamRecord ended, Duration retryIn) {
    store.read(ended.streamId(), 0)
        .map(stored -> stored == null ? "" : String.join("", stored.deltas()))
        .map(text -> StreamFrames.finalReply(ended.header(), text, ended.ending().reason(),
            Timestamps.format(clock.now())))
        .compose(this::forward)
        .onSuccess(v -> store.put(ended.withReplyForwarded(), settings.get().retention()))
        .onFailure(e -> retryLater(ended, retryIn, e));
  }

  private Future<Void> forward(JsonObject reply) {
    return vertx.eventBus().request(Addresses.BRIDGE_FORWARD, new ForwardRequest(reply.encode()).toJson(),
        new DeliveryOptions().setSendTimeout(FORWARD_TIMEOUT_MS)).mapEmpty();
  }

  private void retryLater(StreamRecord ended, Duration retryIn, Throwable failure) {
    if (stopped) {
      LOG.warn("The REPLY of stream {} was not published before shutdown: {}", ended.streamId(),
          failure.getMessage());
      return;
    }
    LOG.warn("The REPLY of stream {} was not published ({}); retrying in {} ms", ended.streamId(),
        failure.getMessage(), retryIn.toMillis());
    Duration next = retryIn.multipliedBy(2).compareTo(LAST_RETRY) > 0 ? LAST_RETRY : retryIn.multipliedBy(2);
    vertx.setTimer(retryIn.toMillis(), t -> forwardReply(ended, next));
  }
}
