package io.agenthub.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agenthub.bus.StreamEvent;
import io.agenthub.bus.StreamSnapshot;
import io.agenthub.protocol.ClientRole;
import io.agenthub.protocol.StreamHeader;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One viewer of a stream against a fake socket whose writes complete when the test says: chunks are written while the
 * socket keeps up, merged while it does not, and the end is never held behind them.
 */
class StreamViewerTest {
  private static final String STREAM = "st_" + "ab".repeat(16);
  private static final StreamHeader HEADER = new StreamHeader(STREAM, "agent_0000000a", "Echo", "web_00000001",
      "m-1", "2026-12-07T10:00:00");

  private final FakeClientSocket socket = new FakeClientSocket();
  private final ClientSession session = new ClientSession(socket, "conn-1", new TokenBucket(1, 0), () -> 1 << 20);
  private StreamViewer viewer;

  @BeforeEach
  void registerAndJoin() {
    session.registered(new RegisteredClient(ClientRole.FRONTEND, "web_00000001", "Tab",
        new RegistrationOptions(false, false, true, false, null), 0));
    viewer = new StreamViewer(session, STREAM, 0);
    session.onDrained(viewer::flush);
  }

  @Test
  void aViewerThatKeepsUpGetsEveryChunkAsItComes() {
    viewer.caughtUp(new StreamSnapshot(HEADER, 0, 0, "", null));
    socket.take();
    for (int seq = 0; seq < 3; seq++) {
      viewer.chunk(new StreamEvent.Appended(seq, "w" + seq + " "));
      socket.take();
    }
    assertEquals(List.of("STREAM_START", "STREAM_CHUNK", "STREAM_CHUNK", "STREAM_CHUNK"), types());
    assertEquals(2L, frame(3).getLong("seq"));
    assertEquals(2L, frame(3).getLong("last_seq"));
  }

  @Test
  void chunksThatComeWhileTheSocketIsBusyAreMergedIntoOneFrameWhenItIsFree() {
    viewer.caughtUp(new StreamSnapshot(HEADER, 0, 0, "", null));
    viewer.chunk(new StreamEvent.Appended(0, "a"));
    viewer.chunk(new StreamEvent.Appended(1, "b"));
    viewer.chunk(new StreamEvent.Appended(2, "c"));
    assertEquals(List.of("STREAM_START"), types(), "nothing is queued behind the frame the socket has not taken");
    socket.take();
    JsonObject merged = frame(1);
    assertEquals("abc", merged.getString("delta"));
    assertEquals(0L, merged.getLong("seq"));
    assertEquals(2L, merged.getLong("last_seq"));
    assertEquals(2, socket.written().size(), "one frame for the three chunks");
  }

  @Test
  void theEndGoesAtOnceRightBehindTheMergedChunks() {
    viewer.caughtUp(new StreamSnapshot(HEADER, 0, 0, "", null));
    viewer.chunk(new StreamEvent.Appended(0, "a"));
    viewer.chunk(new StreamEvent.Appended(1, "b"));
    viewer.end(new StreamEvent.Ended("complete", 2, null, null));
    assertEquals(List.of("STREAM_START", "STREAM_CHUNK", "STREAM_END"), types(),
        "the end does not wait for the socket to be free");
    assertEquals("ab", frame(1).getString("delta"));
    assertEquals(2L, frame(2).getLong("chunks"));
  }

  @Test
  void aCatchUpIsOneChunkAndLiveChunksItAlreadyCoversAreSkipped() {
    List<StreamEvent> early = List.of(new StreamEvent.Appended(3, "d"), new StreamEvent.Appended(4, "e"));
    early.forEach(viewer::holdBack);
    List<StreamEvent> heldBack = viewer.caughtUp(new StreamSnapshot(HEADER, 0, 4, "abcd", null));
    assertEquals(early, heldBack);
    socket.take();
    socket.take();
    heldBack.forEach(event -> viewer.chunk((StreamEvent.Appended) event));
    assertEquals(List.of("STREAM_START", "STREAM_CHUNK", "STREAM_CHUNK"), types());
    assertEquals("abcd", frame(1).getString("delta"));
    assertEquals(3L, frame(1).getLong("last_seq"));
    assertEquals("e", frame(2).getString("delta"), "chunk 3 came in the catch-up, so only chunk 4 is written");
    assertTrue(!viewer.gapBefore(5) && viewer.gapBefore(6));
  }

  private List<String> types() {
    return socket.written().stream().map(text -> new JsonObject(text).getString("message_type")).toList();
  }

  private JsonObject frame(int index) {
    return new JsonObject(socket.written().get(index));
  }
}
