package io.agenthub.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The duplicate guard's memory, as it is handed from a closed socket to the resumed one. */
class RecentKeysTest {

  @Test
  void aGuardThatGotNothingHandsOnNothing() {
    assertEquals(List.of(), new RecentKeys().toList());
  }

  @Test
  void theKeysAreHandedOnOldestFirstAndOnlyTheLastOnes() {
    RecentKeys guard = new RecentKeys();
    List<String> written = IntStream.range(0, RecentKeys.SIZE + 5).mapToObj(i -> "k-" + i).toList();
    written.forEach(guard::repeats);
    assertEquals(written.subList(5, written.size()), guard.toList());
  }

  @Test
  void aResumedGuardRepeatsWhatTheOldOneHadAndRemembersNewKeysAfterThem() {
    RecentKeys old = new RecentKeys();
    List.of("k-1", "k-2", "k-3").forEach(old::repeats);
    RecentKeys resumed = new RecentKeys();
    resumed.rememberAll(old.toList());
    assertTrue(resumed.repeats("k-2"), "a key the old socket was written");
    assertFalse(resumed.repeats("k-4"), "a new key is written");
    List<String> expected = new ArrayList<>(List.of("k-1", "k-2", "k-3", "k-4"));
    assertEquals(expected, resumed.toList());
  }

  @Test
  void aForgottenKeyIsNoLongerARepeatNorHandedOn() {
    RecentKeys guard = new RecentKeys();
    List.of("k-1", "k-2", "k-3").forEach(guard::repeats);
    guard.forget("k-2");
    guard.forget(null);
    guard.forget("unknown");
    assertEquals(List.of("k-1", "k-3"), guard.toList());
    assertFalse(guard.repeats("k-2"));
    assertTrue(guard.repeats("k-1"));
    new RecentKeys().forget("k-1");
  }
}
