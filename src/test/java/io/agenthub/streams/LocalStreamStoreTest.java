package io.agenthub.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agenthub.protocol.StreamEndReason;
import io.agenthub.protocol.StreamHeader;
import io.agenthub.support.ManualClock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The single hub's stream store: chunks kept in order as one text, read back from any seq as what the viewer has not
 * seen, counted against the bound in characters, and forgotten when their time is up.
 */
class LocalStreamStoreTest {
  private static final String STREAM = "st_" + "cd".repeat(16);
  private static final Duration TTL = Duration.ofSeconds(60);

  private final ManualClock clock = new ManualClock();
  private final LocalStreamStore store = new LocalStreamStore(clock, 1_000, 100);
  private final StreamRecord opened = StreamRecord.opened(new StreamHeader(STREAM, "agent_0000000a", "Echo",
      "web_00000001", "m-1", "2026-12-07T10:00:00"), clock.now(), "node-1");

  @Test
  void chunksReadBackFromAnySeqAsTheTextNotSeenYet() {
    store.put(opened, TTL);
    for (int seq = 0; seq < 100; seq++) {
      assertTrue(store.append(STREAM, seq, List.of(String.format("%04d", seq)), TTL).succeeded());
    }

    StreamStore.Stored all = store.read(STREAM, 0).result();
    assertEquals(100, all.chunks());
    assertEquals(expectedFrom(0), String.join("", all.deltas()));
    assertEquals(expectedFrom(37), String.join("", store.read(STREAM, 37).result().deltas()));
    assertEquals("0099", String.join("", store.read(STREAM, 99).result().deltas()));
    assertEquals("", String.join("", store.read(STREAM, 100).result().deltas()));
    assertEquals("", String.join("", store.read(STREAM, Long.MAX_VALUE).result().deltas()));
    assertEquals(400, store.chars());
  }

  @Test
  void aChunkThatDoesNotFollowIsRefusedAndNothingChanges() {
    store.put(opened, TTL);
    store.append(STREAM, 0, List.of("ab"), TTL);

    assertTrue(store.append(STREAM, 0, List.of("ab"), TTL).failed(), "a repeated chunk");
    assertTrue(store.append(STREAM, 2, List.of("cd"), TTL).failed(), "a chunk after a gap");
    assertTrue(store.append("st_" + "00".repeat(16), 0, List.of("x"), TTL).failed(), "an unknown stream");
    assertEquals(1, store.read(STREAM, 0).result().chunks());
    assertEquals("ab", String.join("", store.read(STREAM, 0).result().deltas()));
  }

  @Test
  void anEndedStreamKeepsItsTextAndIsForgottenWhenItsTimeIsUp() {
    store.put(opened, TTL);
    store.append(STREAM, 0, List.of("Hello, ", "world"), TTL);
    store.put(opened.appended(2, 12).ended(new StreamRecord.Ending(StreamEndReason.COMPLETE, null, null,
        clock.now())), Duration.ofSeconds(5));

    assertEquals("world", String.join("", store.read(STREAM, 1).result().deltas()));
    assertFalse(store.read(STREAM, 0).result().record().isOpen());
    clock.advance(Duration.ofSeconds(6));
    store.sweep();
    assertNull(store.read(STREAM, 0).result());
    assertEquals(0, store.chars());
  }

  @Test
  void theBoundCountsCharactersKept() {
    store.put(opened, TTL);
    store.append(STREAM, 0, List.of("x".repeat(999)), TTL);
    assertTrue(store.hasRoom());
    store.append(STREAM, 1, List.of("y"), TTL);
    assertFalse(store.hasRoom());
  }

  private static String expectedFrom(int seq) {
    StringBuilder text = new StringBuilder();
    for (int i = seq; i < 100; i++) {
      text.append(String.format("%04d", i));
    }
    return text.toString();
  }
}
