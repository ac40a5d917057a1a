package io.agenthub.streams;

import io.agenthub.bus.Addresses;
import io.agenthub.bus.StreamAddresses;
import io.agenthub.bus.Failures;
import io.agenthub.bus.NodeLeft;
import io.agenthub.bus.StreamAgentGone;
import io.agenthub.bus.StreamAsked;
import io.agenthub.bus.StreamCancel;
import io.agenthub.bus.StreamChunk;
import io.agenthub.bus.StreamEvent;
import io.agenthub.bus.StreamFinish;
import io.agenthub.bus.StreamJoin;
import io.agenthub.bus.StreamOpen;
import io.agenthub.bus.StreamOpened;
import io.agenthub.bus.StreamResolve;
import io.agenthub.bus.StreamSnapshot;
import io.agenthub.clock.HubClock;
import io.agenthub.cluster.Membership;
import io.agenthub.config.HubConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only keeper of streamed replies (protocol extension "streamed replies"): which message each stream answers and
 * for whom, its chunks in order, how it ended. The instance holding an agent's socket writes that agent's streams
 * ({@link StreamWriters}); viewers on any instance join and cancel them ({@link StreamViews}); time bounds end them
 * ({@link StreamSweeper}); an ended stream becomes one REPLY ({@link StreamEnding}). Streams are kept in a
 * {@link StreamStore}: the cluster's Hazelcast maps when clustered, this hub's memory otherwise. Renders no frame:
 * the gateway does, from what this verticle publishes.
 */
public final class StreamsVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(StreamsVerticle.class);
  private static final long SWEEP_PERIOD_MS = 1_000;
  private static final int MAX_ASKS_IN_MEMORY = 100_000;

  private final Membership membership;
  private final HubClock clock;
  private StreamSettings settings;
  private StreamStore store;
  private StreamWriters writers;
  private StreamViews views;
  private StreamSweeper sweeper;
  private StreamEnding ending;

  public StreamsVerticle(Membership membership, HubClock clock) {
    this.membership = membership;
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    settings = StreamSettings.of(HubConfig.fromJson(config()));
    Future<StreamStore> opened = vertx.isClustered() ? SharedStreamStore.open(vertx)
        : Future.succeededFuture(new LocalStreamStore(clock, settings.storeMaxChars(), MAX_ASKS_IN_MEMORY));
    return opened.compose(this::serve);
  }

  private Future<?> serve(StreamStore opened) {
    store = opened;
    String nodeId = membership.localNodeId();
    ending = new StreamEnding(vertx, clock, () -> settings, store);
    writers = new StreamWriters(vertx.eventBus(), clock, nodeId, () -> settings, store, ending);
    sweeper = new StreamSweeper(clock, nodeId, () -> settings, store, writers, ending);
    views = new StreamViews(vertx.eventBus(), nodeId, store, writers, sweeper);
    EventBus bus = vertx.eventBus();
    bus.<JsonObject>localConsumer(Addresses.CONFIG_CHANGED,
        msg -> settings = StreamSettings.of(HubConfig.fromJson(msg.body())));
    bus.<JsonObject>localConsumer(StreamAddresses.STREAMS_ASKED, this::onAsked);
    bus.<JsonObject>localConsumer(StreamAddresses.STREAMS_OPEN,
        msg -> answer(msg, writers.open(StreamOpen.fromJson(msg.body())), StreamOpened::toJson));
    bus.<JsonObject>localConsumer(StreamAddresses.STREAMS_APPEND,
        msg -> answer(msg, writers.append(StreamChunk.fromJson(msg.body())), v -> null));
    bus.<JsonObject>localConsumer(StreamAddresses.STREAMS_END,
        msg -> answer(msg, writers.finish(StreamFinish.fromJson(msg.body())), StreamEvent.Ended::toJson));
    bus.<JsonObject>localConsumer(StreamAddresses.STREAMS_JOIN,
        msg -> answer(msg, views.join(StreamJoin.fromJson(msg.body())), StreamSnapshot::toJson));
    bus.<JsonObject>localConsumer(StreamAddresses.STREAMS_RESOLVE, msg -> answer(msg,
        views.resolve(StreamResolve.fromJson(msg.body())), streamId -> new JsonObject().put("stream_id", streamId)));
    bus.<JsonObject>localConsumer(StreamAddresses.STREAMS_CANCEL,
        msg -> answer(msg, views.cancel(StreamCancel.fromJson(msg.body())), v -> null));
    bus.<JsonObject>localConsumer(StreamAddresses.STREAMS_AGENT_GONE,
        msg -> writers.agentGone(StreamAgentGone.fromJson(msg.body()).agentId()));
    bus.<JsonObject>localConsumer(StreamAddresses.STREAMS_NODE_LEFT,
        msg -> sweeper.adoptOrphans(NodeLeft.fromJson(msg.body()).nodeId()));
    vertx.setPeriodic(SWEEP_PERIOD_MS, id -> sweeper.sweep());
    return bus.<JsonObject>consumer(StreamAddresses.streamWriter(nodeId), this::onCancelForWriter).completion();
  }

  @Override
  public Future<?> stop() {
    ending.stop();
    return Future.succeededFuture();
  }

  /** Replied once recorded, so the message reaches the agent only when the agent may answer it with a stream. */
  private void onAsked(Message<JsonObject> msg) {
    StreamAsked asked = StreamAsked.fromJson(msg.body());
    store.recordAsk(asked.agentId(), asked.messageId(), asked.requesterId(), settings.askTtl())
        .onFailure(e -> LOG.warn("Message {} handed to {} not recorded for streaming: {}", asked.messageId(),
            asked.agentId(), e.getMessage()))
        .onComplete(done -> msg.reply(null));
  }

  /** A cancel routed here because this instance writes the stream. */
  private void onCancelForWriter(Message<JsonObject> msg) {
    writers.cancelRequested(StreamCancel.fromJson(msg.body()).streamId());
    msg.reply(null);
  }

  private static <T> void answer(Message<JsonObject> msg, Future<T> outcome, Function<T, JsonObject> reply) {
    outcome.onComplete(result -> msg.reply(reply.apply(result)), e -> {
      if (e instanceof Refused refused) {
        msg.fail(Failures.STREAM_REFUSED, refused.refusal().encode());
      } else {
        msg.fail(Failures.INTERNAL, String.valueOf(e.getMessage()));
      }
    });
  }
}
