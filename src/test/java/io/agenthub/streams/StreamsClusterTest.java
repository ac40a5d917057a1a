package io.agenthub.streams;

import static io.agenthub.support.Messages.statusShows;
import static io.agenthub.support.Messages.text;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.agenthub.companion.BrokerCompanion;
import io.agenthub.companion.CompanionSettings;
import io.agenthub.companion.EchoAgentCompanion;
import io.agenthub.companion.EchoOptions;
import io.agenthub.protocol.Queues;
import io.agenthub.support.Await;
import io.agenthub.support.ClusterNodes;
import io.agenthub.support.ClusterTest;
import io.agenthub.support.RabbitVhost;
import io.agenthub.support.TestHub;
import io.agenthub.support.WsClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Streamed replies in a cluster of two hubs in this JVM, streams kept in Hazelcast: a stream written on one instance
 * reaches a viewer on the other; a viewer that lost its socket resumes on the other instance from the chunk after the
 * last it got; and when the agent's instance stops, the agent takes its stream back on the survivor and goes on, no
 * chunk lost or repeated. (kill -9 of either instance is the chaos suite's, RELIABILITY.md.)
 */
@ClusterTest
class StreamsClusterTest {
  private static final JsonObject SETTINGS = new JsonObject().put("PERIODIC_STATUS_INTERVAL", 3600);
  private static final int WORDS = 40;

  private RabbitVhost rabbit;
  private TestHub a;
  private TestHub b;
  private Vertx companions;
  private BrokerCompanion broker;
  private EchoAgentCompanion agent;

  @BeforeEach
  void startPairAndBroker() throws Exception {
    rabbit = RabbitVhost.create("streams-cluster");
    List<TestHub> pair = ClusterNodes.startPair(rabbit, SETTINGS);
    a = pair.get(0);
    b = pair.get(1);
    Await.until("both instances consume " + Queues.BROKER_OUTPUT, WsClient.TIMEOUT,
        () -> rabbit.consumerCount(Queues.BROKER_OUTPUT) == 2);
    companions = Vertx.vertx();
    broker = TestHub.await(BrokerCompanion.start(companions, settings(b)));
  }

  @AfterEach
  void stopAll() throws Exception {
    if (agent != null) {
      TestHub.await(agent.stop());
    }
    TestHub.await(broker.stop());
    TestHub.await(companions.close());
    ClusterNodes.stop(rabbit, b, a);
  }

  @Test
  void aViewerThatLostItsSocketResumesOnTheOtherInstanceFromTheChunkAfterItsLast() throws Exception {
    WsClient viewer = WsClient.register(b.port(), frontend("Roamer", null));
    startAgent(settings(a), viewer);
    JsonObject question = text(words()).put("sender_id", viewer.id());
    viewer.send(question);
    String streamId = viewer.next("STREAM_START").getString("stream_id");
    StringBuilder received = new StringBuilder();
    long next = 0;
    while (next < 5) {
      JsonObject chunk = viewer.next("STREAM_CHUNK");
      assertEquals(next, chunk.getLong("seq"));
      received.append(chunk.getString("delta"));
      next = chunk.getLong("last_seq") + 1;
    }
    String frontendId = viewer.id();
    viewer.close();

    try (WsClient resumed = WsClient.register(a.port(), frontend("Roamer", frontendId))) {
      assertEquals(frontendId, resumed.id(), "the session is resumed on the other instance");
      resumed.send(new JsonObject().put("message_type", "STREAM_JOIN").put("stream_id", streamId)
          .put("from_seq", next));
      StreamsEndToEndTest.Streamed rest = StreamsEndToEndTest.Streamed.collect(resumed, streamId);
      assertEquals(next, rest.chunks().get(0).getLong("seq"), "it goes on exactly where it was");
      assertEquals("Echo: " + words(), received + rest.text(), "every chunk once, in order");
      assertEquals("complete", rest.end().getString("reason"));
    }
  }

  @Test
  void whenTheAgentsInstanceStopsTheAgentTakesItsStreamBackOnTheSurvivorAndGoesOn() throws Exception {
    try (WsClient viewer = WsClient.register(b.port(), frontend("Viewer", null))) {
      startAgent(settings(a).withWebsocketUrl(url(a) + "," + url(b)), viewer);
      JsonObject question = text(words()).put("sender_id", viewer.id());
      viewer.send(question);
      String streamId = viewer.next("STREAM_START").getString("stream_id");
      JsonObject first = viewer.next("STREAM_CHUNK");
      a.close();
      a = null;
      StreamsEndToEndTest.Streamed streamed = StreamsEndToEndTest.Streamed.collect(viewer, streamId);
      assertEquals(first.getLong("last_seq") + 1, streamed.chunks().get(0).getLong("seq"));
      assertEquals("complete", streamed.end().getString("reason"));
      assertEquals("Echo: " + words(), first.getString("delta") + streamed.text(),
          "no chunk lost or repeated across the move");
      assertEquals(WORDS + 1, streamed.end().getLong("chunks"));
    }
  }

  private void startAgent(CompanionSettings agentSettings, WsClient watcher) throws Exception {
    agent = TestHub.await(EchoAgentCompanion.start(companions, agentSettings,
        EchoOptions.named("Streamer").streaming(20)));
    watcher.next(update -> statusShows(update, agent.agentId(), true), Duration.ofSeconds(20));
  }

  private CompanionSettings settings(TestHub hub) {
    return new CompanionSettings(url(hub), "127.0.0.1", rabbit.port(), "guest", "guest", rabbit.name());
  }

  private static String url(TestHub hub) {
    return "ws://127.0.0.1:" + hub.port() + "/ws";
  }

  private static JsonObject frontend(String name, String resumeId) {
    JsonObject registration = new JsonObject().put("message_type", "REGISTER_FRONTEND").put("frontend_name", name)
        .put("streams", true);
    return resumeId == null ? registration : registration.put("frontend_id", resumeId);
  }

  private static String words() {
    return IntStream.range(0, WORDS).mapToObj(i -> "w" + i).collect(Collectors.joining(" "));
  }
}
