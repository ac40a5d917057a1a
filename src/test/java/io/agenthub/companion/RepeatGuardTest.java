package io.agenthub.companion;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The reference echo agent answers a question once, however often its idempotency key comes. */
class RepeatGuardTest {
  private final RepeatGuard guard = new RepeatGuard();

  @Test
  void aKeyAnsweredOrBeingAnsweredIsARepeat() {
    assertTrue(guard.admit("q-1"));
    assertFalse(guard.admit("q-1"), "being answered");
    guard.answered("q-1");
    assertFalse(guard.admit("q-1"), "answered");
  }

  @Test
  void aQuestionWhoseAnswerWasNotSentMayBeAnsweredWhenItComesAgain() {
    assertTrue(guard.admit("q-1"));
    guard.released("q-1");
    assertTrue(guard.admit("q-1"));
  }

  @Test
  void aQuestionWithoutAKeyIsAlwaysAnswered() {
    assertTrue(guard.admit(null));
    guard.answered(null);
    assertTrue(guard.admit(null));
  }

  @Test
  void theOldestKeysAreForgottenBeyondTheBound() {
    for (int i = 0; i <= RepeatGuard.REMEMBERED; i++) {
      guard.admit("q-" + i);
      guard.answered("q-" + i);
    }
    assertTrue(guard.admit("q-0"), "forgotten");
    assertFalse(guard.admit("q-" + RepeatGuard.REMEMBERED));
  }
}
