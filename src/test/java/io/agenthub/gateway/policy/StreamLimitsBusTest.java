package io.agenthub.gateway.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agenthub.bus.StreamAddresses;
import io.agenthub.bus.StreamChunk;
import io.agenthub.support.GatewayFixture;
import io.agenthub.support.WsClient;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Protocol extension "streamed replies" on the gateway alone, the streams verticle stubbed: a streaming agent's chunks
 * count against STREAM_CHUNK_RATE_LIMIT, not CLIENT_RATE_LIMIT, and those over it are refused with RATE_LIMITED
 * without reaching the streams verticle; chunks too large or from a client that did not opt in never reach it either.
 */
class StreamLimitsBusTest {
  private static final String STREAM = "st_" + "ef".repeat(16);

  @RegisterExtension
  static final GatewayFixture GATEWAY = GatewayFixture.perTest(new JsonObject()
      .put("CLIENT_RATE_LIMIT", 1).put("CLIENT_RATE_BURST", 2)
      .put("STREAM_CHUNK_RATE_LIMIT", 1).put("STREAM_MAX_CHUNK_CHARS", 8));

  @Test
  void chunksBeyondTheirOwnBurstAreRefusedAndTakeNothingFromTheFrameLimit() throws Exception {
    try (WsClient agent = WsClient.register(GATEWAY.port(), new JsonObject().put("message_type", "REGISTER_AGENT")
        .put("agent_name", "Streamer").put("streams", true))) {
      for (int seq = 0; seq < 3; seq++) {
        agent.send(chunk(seq, "w" + seq));
      }
      assertEquals(0L, appended.poll(5, TimeUnit.SECONDS).seq());
      assertEquals(1L, appended.poll(5, TimeUnit.SECONDS).seq());
      JsonObject refusal = agent.next("ERROR");
      assertEquals("RATE_LIMITED", refusal.getString("error_code"));
      assertTrue(refusal.getString("text_payload").contains("STREAM_CHUNK_RATE_LIMIT"), refusal.encode());
      agent.send(new JsonObject().put("message_type", "PING"));
      assertEquals("PONG", agent.next().getString("message_type"), "chunks took nothing from the frame limit");
      GATEWAY.clock().advance(Duration.ofSeconds(1));
      agent.send(chunk(2, "w2"));
      assertEquals(2L, appended.poll(5, TimeUnit.SECONDS).seq(), "a second later the bucket let one more in");
    }
  }

  @Test
  void aChunkTooLargeOrFromAClientThatDidNotOptInNeverReachesTheStreams() throws Exception {
    try (WsClient agent = WsClient.register(GATEWAY.port(), new JsonObject().put("message_type", "REGISTER_AGENT")
            .put("agent_name", "Talker").put("streams", true));
        WsClient legacy = WsClient.register(GATEWAY.port(), "agent", "Legacy")) {
      agent.send(chunk(0, "123456789"));
      JsonObject tooLarge = agent.next("ERROR");
      assertEquals("CHUNK_TOO_LARGE", tooLarge.getString("error_code"));
      assertEquals(STREAM, tooLarge.getString("stream_id"));
      legacy.send(chunk(0, "hi"));
      assertEquals("STREAMS_NOT_ENABLED", legacy.next("ERROR").getString("error_code"));
      agent.send(chunk(0, "ok"));
      assertEquals("ok", appended.poll(5, TimeUnit.SECONDS).delta(), "the next chunk within the limits goes");
      assertTrue(appended.isEmpty(), "nothing else reached the streams verticle");
    }
  }

  private final BlockingQueue<StreamChunk> appended = new LinkedBlockingQueue<>();
  private MessageConsumer<JsonObject> streams;

  /** The streams verticle, stubbed: it takes every chunk it gets. */
  @BeforeEach
  void stubStreams() {
    streams = GATEWAY.vertx().eventBus().localConsumer(StreamAddresses.STREAMS_APPEND, msg -> {
      appended.add(StreamChunk.fromJson(msg.body()));
      msg.reply(null);
    });
  }

  @AfterEach
  void removeStub() {
    streams.unregister();
  }

  private static JsonObject chunk(long seq, String delta) {
    return new JsonObject().put("message_type", "STREAM_CHUNK").put("stream_id", STREAM).put("seq", seq)
        .put("delta", delta);
  }
}
