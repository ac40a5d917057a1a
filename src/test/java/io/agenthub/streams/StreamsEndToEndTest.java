package io.agenthub.streams;

import static io.agenthub.support.Messages.statusShows;
import static io.agenthub.support.Messages.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agenthub.companion.EchoAgentCompanion;
import io.agenthub.support.Companions;
import io.agenthub.support.HubExtension;
import io.agenthub.support.Integration;
import io.agenthub.support.WsClient;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Streamed replies end to end, every hop real: a frontend's question goes through RabbitMQ and the reference broker
 * to the reference echo agent streaming its answer over its WebSocket; opted-in frontends get the chunks, everyone
 * gets the one REPLY the hub builds at the end, and nobody who did not opt in sees a stream frame. Every frame is
 * checked against docs/asyncapi.yaml by {@link WsClient}.
 */
@Integration
class StreamsEndToEndTest {
  @RegisterExtension
  @Order(1)
  static final HubExtension HUB = HubExtension.perClass("streams", new JsonObject());
  @RegisterExtension
  @Order(2)
  static final Companions COMPANIONS = Companions.on(HUB);
  private static final JsonObject STREAMING_FRONTEND = new JsonObject().put("message_type", "REGISTER_FRONTEND")
      .put("frontend_name", "Viewer").put("streams", true);



  @Test
  void anOptedInFrontendGetsTheAnswerWordByWordAndALegacyOneOnlyTheWholeReply() throws Exception {
    try (WsClient viewer = WsClient.register(HUB.port(), STREAMING_FRONTEND.copy());
        WsClient legacy = WsClient.register(HUB.port(), "frontend", "ChatUI")) {
      EchoAgentCompanion agent = startStreamingAgent(200, viewer, legacy);
      JsonObject question = ask(viewer, "one two three four");

      JsonObject start = viewer.next(isStream("STREAM_START", question), WsClient.TIMEOUT);
      assertEquals(agent.agentId(), start.getString("agent_id"));
      assertEquals(viewer.id(), start.getString("receiver_id"));
      Streamed streamed = Streamed.collect(viewer, start.getString("stream_id"));
      assertEquals("Echo: one two three four", streamed.text());
      assertEquals("complete", streamed.end().getString("reason"));
      assertEquals(streamed.end().getLong("chunks"), streamed.lastSeq() + 1, "no chunk lost or repeated");

      JsonObject reply = viewer.next(isReplyTo(question), WsClient.TIMEOUT);
      assertEquals(start.getString("stream_id"), reply.getString("stream_id"), "the REPLY says it is that stream");
      List<JsonObject> legacyFrames = legacy.framesUntil(isReplyTo(question), WsClient.TIMEOUT);
      assertEquals("Echo: one two three four", legacyFrames.get(legacyFrames.size() - 1).getString("text_payload"));
      assertTrue(legacyFrames.stream().noneMatch(frame -> frame.getString("message_type").startsWith("STREAM_")),
          "a frontend that did not opt in sees no stream frame");
    }
  }

  @Test
  void theAskerCancelsAndEveryViewerSeesTheStreamEndCancelledWithWhatWasSaid() throws Exception {
    try (WsClient asker = WsClient.register(HUB.port(), STREAMING_FRONTEND.copy());
        WsClient monitor = WsClient.register(HUB.port(), STREAMING_FRONTEND.copy())) {
      startStreamingAgent(20, asker, monitor);
      JsonObject question = ask(asker, words(60));
      String streamId = asker.next(isStream("STREAM_START", question), WsClient.TIMEOUT).getString("stream_id");
      asker.next(frame -> "STREAM_CHUNK".equals(frame.getString("message_type")), WsClient.TIMEOUT);

      JsonObject announced = monitor.next(isStream("STREAM_START", question), WsClient.TIMEOUT);
      monitor.send(new JsonObject().put("message_type", "STREAM_CANCEL").put("stream_id", streamId));
      assertEquals("STREAM_FORBIDDEN", monitor.next("ERROR").getString("error_code"),
          "only the client whose message the stream answers may cancel it");
      monitor.send(new JsonObject().put("message_type", "STREAM_JOIN").put("stream_id", announced.getString(
          "stream_id")).put("from_seq", 0));

      asker.send(new JsonObject().put("message_type", "STREAM_CANCEL").put("stream_id", streamId));
      Streamed seenByAsker = Streamed.collect(asker, streamId);
      Streamed seenByMonitor = Streamed.collect(monitor, streamId);
      assertEquals("cancelled", seenByAsker.end().getString("reason"));
      assertEquals(seenByAsker.end(), seenByMonitor.end(), "the stream ends as cancelled for every viewer");
      assertTrue(seenByAsker.end().getLong("chunks") < 61, "the agent stopped: " + seenByAsker.end());
      JsonObject reply = asker.next(isReplyTo(question), WsClient.TIMEOUT);
      assertEquals("cancelled", reply.getString("stream_end"));
      assertEquals(seenByMonitor.text(), reply.getString("text_payload"), "the REPLY shows what was said");

      asker.send(new JsonObject().put("message_type", "STREAM_CANCEL").put("stream_id", streamId));
      assertEquals("STREAM_ENDED", asker.next("ERROR").getString("error_code"));
    }
  }

  @Test
  void aFrontendThatJoinsLateGetsWhatItMissedAsOneChunkThenTheLiveRest() throws Exception {
    try (WsClient asker = WsClient.register(HUB.port(), STREAMING_FRONTEND.copy());
        WsClient late = WsClient.register(HUB.port(), STREAMING_FRONTEND.copy().put("frontend_name", "Late"))) {
      startStreamingAgent(20, asker, late);
      JsonObject question = ask(asker, words(20));
      String streamId = asker.next(isStream("STREAM_START", question), WsClient.TIMEOUT).getString("stream_id");
      for (int i = 0; i < 3; i++) {
        asker.next(frame -> "STREAM_CHUNK".equals(frame.getString("message_type")), WsClient.TIMEOUT);
      }
      late.send(new JsonObject().put("message_type", "STREAM_JOIN").put("stream_id", streamId).put("from_seq", 0));
      JsonObject header = late.next(frame -> "STREAM_START".equals(frame.getString("message_type"))
          && !frame.containsKey("next_seq") && late.id() != null, WsClient.TIMEOUT);
      assertEquals(streamId, header.getString("stream_id"));
      Streamed streamed = Streamed.collect(late, streamId);
      assertTrue(streamed.chunks().get(0).getLong("last_seq") >= 2,
          "what it missed comes as one chunk: " + streamed.chunks().get(0));
      assertEquals("Echo: " + words(20), streamed.text());
    }
  }

  @Test
  void aStreamFrameFromAClientThatDidNotOptInIsRefused() throws Exception {
    try (WsClient legacy = WsClient.register(HUB.port(), "frontend", "ChatUI")) {
      legacy.send(new JsonObject().put("message_type", "STREAM_JOIN").put("stream_id", "st_" + "0".repeat(32)));
      assertEquals("STREAMS_NOT_ENABLED", legacy.next("ERROR").getString("error_code"));
    }
  }

  private static EchoAgentCompanion startStreamingAgent(int wordsPerSecond, WsClient... watchers) throws Exception {
    EchoAgentCompanion agent = COMPANIONS.agent("Streamer", wordsPerSecond);
    for (WsClient watcher : watchers) {
      watcher.next(update -> statusShows(update, agent.agentId(), true), WsClient.TIMEOUT);
    }
    return agent;
  }

  private static JsonObject ask(WsClient frontend, String words) throws Exception {
    JsonObject question = text(words).put("sender_id", frontend.id());
    frontend.send(question);
    return question;
  }

  private static String words(int count) {
    return IntStream.range(0, count).mapToObj(i -> "w" + i).collect(Collectors.joining(" "));
  }

  private static Predicate<JsonObject> isStream(String type, JsonObject question) {
    return frame -> type.equals(frame.getString("message_type"))
        && question.getString("message_id").equals(frame.getString("in_reply_to_message_id"));
  }

  private static Predicate<JsonObject> isReplyTo(JsonObject question) {
    return frame -> "REPLY".equals(frame.getString("message_type"))
        && question.getString("message_id").equals(frame.getString("in_reply_to_message_id"));
  }

  /** The chunks and the end of one stream as a viewer received them, checked to follow each other seq by seq. */
  record Streamed(List<JsonObject> chunks, JsonObject end) {
    static Streamed collect(WsClient viewer, String streamId) throws Exception {
      List<JsonObject> chunks = new ArrayList<>();
      long next = -1;
      while (true) {
        JsonObject frame = viewer.next(f -> streamId.equals(f.getString("stream_id"))
            && f.getString("message_type").matches("STREAM_CHUNK|STREAM_END"), Duration.ofSeconds(20));
        if ("STREAM_END".equals(frame.getString("message_type"))) {
          return new Streamed(chunks, frame);
        }
        if (next >= 0) {
          assertEquals(next, frame.getLong("seq"), "chunks follow each other: " + frame);
        }
        next = frame.getLong("last_seq") + 1;
        chunks.add(frame);
      }
    }

    String text() {
      return chunks.stream().map(chunk -> chunk.getString("delta")).collect(Collectors.joining());
    }

    long lastSeq() {
      return chunks.isEmpty() ? -1 : chunks.get(chunks.size() - 1).getLong("last_seq");
    }
  }
}
