package io.agenthub.companion;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The reference echo agent's pace: at most its concurrency at once, the others waiting in order. */
class EchoWorkTest {

  @Test
  void atMostTheConcurrencyIsInProgressAndTheRestStartAsSlotsFree() {
    EchoWork work = new EchoWork(null, 2, 0);
    List<Integer> started = new ArrayList<>();
    for (int i = 1; i <= 4; i++) {
      int answer = i;
      work.submit(() -> started.add(answer));
    }
    assertEquals(List.of(1, 2), started);
    assertEquals(2, work.inProgress());
    work.done();
    assertEquals(List.of(1, 2, 3), started);
    work.done();
    work.done();
    assertEquals(List.of(1, 2, 3, 4), started);
    assertEquals(1, work.inProgress());
  }

  @Test
  void withoutAConcurrencyEverythingStartsAtOnce() {
    EchoWork work = new EchoWork(null, 0, 0);
    List<Integer> started = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      int answer = i;
      work.submit(() -> started.add(answer));
    }
    assertEquals(List.of(1, 2, 3), started);
    assertEquals(3, work.inProgress());
  }
}
