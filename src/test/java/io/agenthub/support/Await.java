package io.agenthub.support;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;

/** An awaited condition with a timeout, checked every 50 ms, for states that announce themselves by no event. */
public final class Await {
  private Await() {
  }

  public static void until(String what, Duration timeout, Callable<Boolean> condition) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.call()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not true within " + timeout + ": " + what);
      }
      LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
    }
  }

  /**
   * For harnesses that measure rather than assert: waits until the condition holds or the deadline ({@code
   * System.nanoTime()}) passes, checking every {@code period}; true if it held.
   */
  public static boolean atMost(long deadlineNanos, Duration period, Callable<Boolean> condition) throws Exception {
    while (!condition.call()) {
      if (System.nanoTime() >= deadlineNanos) {
        return false;
      }
      LockSupport.parkNanos(period.toNanos());
    }
    return true;
  }
}
