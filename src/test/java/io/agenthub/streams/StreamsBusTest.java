package io.agenthub.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agenthub.bus.Addresses;
import io.agenthub.bus.StreamAddresses;
import io.agenthub.bus.ForwardRequest;
import io.agenthub.bus.StreamAgentGone;
import io.agenthub.bus.StreamAsked;
import io.agenthub.bus.StreamCancel;
import io.agenthub.bus.StreamCancelNotice;
import io.agenthub.bus.StreamChunk;
import io.agenthub.bus.StreamEvent;
import io.agenthub.bus.StreamFinish;
import io.agenthub.bus.StreamJoin;
import io.agenthub.bus.StreamOpen;
import io.agenthub.bus.StreamOpened;
import io.agenthub.bus.StreamRefusal;
import io.agenthub.bus.StreamSnapshot;
import io.agenthub.cluster.Membership;
import io.agenthub.config.HubConfig;
import io.agenthub.config.Setting;
import io.agenthub.support.ManualClock;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The streams verticle alone, driven through its addresses: the gateway's requests become bus requests from the
 * test, the bridge is a stubbed consumer of BRIDGE_FORWARD, and time moves only when the test moves its clock.
 */
class StreamsBusTest {
  private static final String NODE = "node-a";
  private static final String AGENT = "agent_0000000a";
  private static final String OTHER_AGENT = "agent_0000000b";
  private static final String FRONTEND = "web_0000000f";

  private final ManualClock clock = new ManualClock();
  private final BlockingQueue<JsonObject> forwarded = new LinkedBlockingQueue<>();
  private final BlockingQueue<JsonObject> announcements = new LinkedBlockingQueue<>();
  private final BlockingQueue<StreamCancelNotice> cancelNotices = new LinkedBlockingQueue<>();
  private Vertx vertx;

  @BeforeEach
  void deployStreamsAlone() throws Exception {
    vertx = Vertx.vertx();
    vertx.eventBus().<JsonObject>localConsumer(Addresses.BRIDGE_FORWARD, msg -> {
      forwarded.add(new JsonObject(ForwardRequest.fromJson(msg.body()).message()));
      msg.reply(null);
    });
    vertx.eventBus().<JsonObject>consumer(StreamAddresses.STREAMS_OPENED, msg -> announcements.add(msg.body()));
    vertx.eventBus().<JsonObject>localConsumer(StreamAddresses.GATEWAY_STREAM_CANCEL,
        msg -> cancelNotices.add(StreamCancelNotice.fromJson(msg.body())));
    JsonObject config = HubConfig.parse(Setting.defaults().put("STREAM_MAX_CHARS", 20)
        .put("STREAM_MAX_OPEN_PER_AGENT", 2)).toJson();
    await(vertx.deployVerticle(new StreamsVerticle(Membership.single(NODE), clock),
        new DeploymentOptions().setConfig(config)));
  }

  @AfterEach
  void close() throws Exception {
    await(vertx.close());
  }

  @Test
  void aStreamForAMessageNeverHandedToTheAgentIsRefused() throws Exception {
    assertEquals("STREAM_NOT_ASKED", refusal(open(AGENT, "m-unknown")).errorCode());
  }

  @Test
  void chunksArePublishedInOrderAndTheEndBecomesOneReplyWithTheWholeText() throws Exception {
    StreamOpened opened = await(openAsked("m-1"));
    assertEquals(0, opened.nextSeq());
    assertEquals(FRONTEND, opened.header().requesterId());
    assertEquals(opened.header().streamId(),
        announcements.poll(5, TimeUnit.SECONDS).getString("stream_id"), "every gateway hears of the new stream");
    String streamId = opened.header().streamId();
    BlockingQueue<StreamEvent> events = events(streamId);

    await(chunk(AGENT, streamId, 0, "Hel"));
    await(chunk(AGENT, streamId, 1, "lo"));
    await(finish(AGENT, streamId, 2, "complete"));

    assertEquals(new StreamEvent.Appended(0, "Hel"), events.poll(5, TimeUnit.SECONDS));
    assertEquals(new StreamEvent.Appended(1, "lo"), events.poll(5, TimeUnit.SECONDS));
    assertEquals(new StreamEvent.Ended("complete", 2, null, null), events.poll(5, TimeUnit.SECONDS));
    JsonObject reply = forwarded.poll(5, TimeUnit.SECONDS);
    assertEquals("REPLY", reply.getString("message_type"));
    assertEquals("Hello", reply.getString("text_payload"));
    assertEquals(AGENT, reply.getString("sender_id"));
    assertEquals(AGENT, reply.getString("_client_id"));
    assertEquals("agent", reply.getString("_connection_type"));
    assertEquals(FRONTEND, reply.getString("receiver_id"));
    assertEquals("m-1", reply.getString("in_reply_to_message_id"));
    assertEquals(streamId, reply.getString("stream_id"));
    assertEquals("complete", reply.getString("stream_end"));
    assertEquals("STREAM_ENDED", refusal(chunk(AGENT, streamId, 2, "!")).errorCode());
  }

  @Test
  void chunksOutOfOrderRepeatedOrFromAnotherAgentAreRefusedAndChangeNothing() throws Exception {
    String streamId = await(openAsked("m-2")).header().streamId();
    await(chunk(AGENT, streamId, 0, "a"));
    assertEquals("STREAM_OUT_OF_ORDER", refusal(chunk(AGENT, streamId, 0, "a")).errorCode());
    assertEquals("STREAM_OUT_OF_ORDER", refusal(chunk(AGENT, streamId, 2, "c")).errorCode());
    assertEquals("STREAM_FORBIDDEN", refusal(chunk(OTHER_AGENT, streamId, 1, "b")).errorCode());
    assertEquals("STREAM_UNKNOWN", refusal(chunk(AGENT, "st_" + "0".repeat(32), 0, "x")).errorCode());
    await(chunk(AGENT, streamId, 1, "b"));
    assertEquals("ab", join(streamId, 0).delta());
  }

  @Test
  void aJoinGetsWhatItMissedFromAnyOffsetAsOneDeltaAndTheEndOnceEnded() throws Exception {
    String streamId = await(openAsked("m-3")).header().streamId();
    await(chunk(AGENT, streamId, 0, "one "));
    await(chunk(AGENT, streamId, 1, "two "));
    await(chunk(AGENT, streamId, 2, "six"));
    StreamSnapshot fromOne = join(streamId, 1);
    assertEquals("two six", fromOne.delta());
    assertEquals(1, fromOne.fromSeq());
    assertEquals(3, fromOne.nextSeq());
    assertNull(fromOne.end());
    await(finish(AGENT, streamId, 3, "failed", "model crashed"));
    StreamSnapshot ended = join(streamId, 3);
    assertEquals("", ended.delta());
    assertEquals(new StreamEvent.Ended("failed", 3, "AGENT_FAILED", "model crashed"), ended.end());
    assertEquals("one two six", forwarded.poll(5, TimeUnit.SECONDS).getString("text_payload"),
        "a failed stream's REPLY shows what was said before it ended");
  }

  @Test
  void onlyTheRequesterMayCancelAndAnAgentThatIgnoresItIsCutOff() throws Exception {
    String streamId = await(openAsked("m-4")).header().streamId();
    BlockingQueue<StreamEvent> events = events(streamId);
    assertEquals("STREAM_FORBIDDEN", refusal(cancel(streamId, "web_99999999")).errorCode());
    await(cancel(streamId, FRONTEND));
    StreamCancelNotice notice = cancelNotices.poll(5, TimeUnit.SECONDS);
    assertEquals(new StreamCancelNotice(AGENT, streamId, "m-4"), notice);
    clock.advance(Duration.ofSeconds(5));
    StreamEvent end = events.poll(5, TimeUnit.SECONDS);
    assertEquals(new StreamEvent.Ended("cancelled", 0, "CANCEL_TIMEOUT",
        "The agent did not end its stream within STREAM_CANCEL_TIMEOUT of the cancel; it was cut off"), end);
    assertEquals("STREAM_ENDED", refusal(cancel(streamId, FRONTEND)).errorCode());
  }

  @Test
  void aStreamWhoseAgentLeftEndsAfterTheIdleTimeoutUnlessTheAgentTakesItBack() throws Exception {
    String kept = await(openAsked("m-5")).header().streamId();
    String lost = await(openAsked("m-6")).header().streamId();
    await(chunk(AGENT, kept, 0, "x"));
    BlockingQueue<StreamEvent> lostEvents = events(lost);
    vertx.eventBus().send(StreamAddresses.STREAMS_AGENT_GONE, new StreamAgentGone(AGENT).toJson());
    StreamOpened back = await(vertx.eventBus().<JsonObject>request(StreamAddresses.STREAMS_OPEN,
        new StreamOpen(AGENT, "Echo", null, kept).toJson()).map(msg -> StreamOpened.fromJson(msg.body())));
    assertEquals(1, back.nextSeq(), "the agent is told the next chunk the hub expects");
    clock.advance(Duration.ofSeconds(30));
    assertEquals("AGENT_DISCONNECTED", ((StreamEvent.Ended) lostEvents.poll(5, TimeUnit.SECONDS)).errorCode());
  }

  @Test
  void aStreamThatGrowsTooLargeEndsAsFailedAndSaysWhy() throws Exception {
    String streamId = await(openAsked("m-7")).header().streamId();
    BlockingQueue<StreamEvent> events = events(streamId);
    await(chunk(AGENT, streamId, 0, "0123456789"));
    assertEquals("STREAM_TOO_LARGE", refusal(chunk(AGENT, streamId, 1, "0123456789!")).errorCode());
    events.poll(5, TimeUnit.SECONDS);
    assertEquals("STREAM_TOO_LARGE", ((StreamEvent.Ended) events.poll(5, TimeUnit.SECONDS)).errorCode());
  }

  @Test
  void anAgentMayNotOpenMoreStreamsThanItsLimitAndASecondOpeningForOneMessageTakesTheSameStream()
      throws Exception {
    String first = await(openAsked("m-8")).header().streamId();
    assertEquals(first, await(open(AGENT, "m-8")).header().streamId());
    await(openAsked("m-9"));
    assertEquals("STREAM_LIMIT", refusal(openAsked("m-10")).errorCode());
  }

  private Future<StreamOpened> openAsked(String messageId) {
    vertx.eventBus().send(StreamAddresses.STREAMS_ASKED, new StreamAsked(AGENT, messageId, FRONTEND).toJson());
    return open(AGENT, messageId);
  }

  private Future<StreamOpened> open(String agentId, String messageId) {
    return vertx.eventBus().<JsonObject>request(StreamAddresses.STREAMS_OPEN,
        new StreamOpen(agentId, "Echo", messageId, null).toJson()).map(msg -> StreamOpened.fromJson(msg.body()));
  }

  private Future<Object> chunk(String agentId, String streamId, long seq, String delta) {
    return vertx.eventBus()
        .request(StreamAddresses.STREAMS_APPEND, new StreamChunk(agentId, streamId, seq, delta).toJson())
        .map(msg -> msg.body());
  }

  private Future<Object> finish(String agentId, String streamId, long chunks, String reason) {
    return finish(agentId, streamId, chunks, reason, null);
  }

  private Future<Object> finish(String agentId, String streamId, long chunks, String reason, String error) {
    return vertx.eventBus().request(StreamAddresses.STREAMS_END,
        new StreamFinish(agentId, streamId, chunks, reason, error).toJson()).map(msg -> msg.body());
  }

  private Future<Object> cancel(String streamId, String clientId) {
    return vertx.eventBus().request(StreamAddresses.STREAMS_CANCEL, new StreamCancel(streamId, clientId).toJson())
        .map(msg -> msg.body());
  }

  private StreamSnapshot join(String streamId, long from) throws Exception {
    return await(vertx.eventBus()
        .<JsonObject>request(StreamAddresses.STREAMS_JOIN, new StreamJoin(streamId, from).toJson())
        .map(msg -> StreamSnapshot.fromJson(msg.body())));
  }

  private BlockingQueue<StreamEvent> events(String streamId) throws Exception {
    BlockingQueue<StreamEvent> events = new LinkedBlockingQueue<>();
    await(vertx.eventBus().<JsonObject>consumer(StreamAddresses.stream(streamId),
        msg -> events.add(StreamEvent.fromJson(msg.body()))).completion());
    return events;
  }

  private static StreamRefusal refusal(Future<?> request) throws Exception {
    try {
      await(request);
    } catch (ExecutionException e) {
      StreamRefusal refusal = StreamRefusal.of(e.getCause());
      assertTrue(refusal != null, () -> "not a stream refusal: " + e.getCause());
      return refusal;
    }
    throw new AssertionError("the request was not refused");
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }
}
