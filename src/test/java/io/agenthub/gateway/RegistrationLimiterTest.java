package io.agenthub.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RegistrationLimiterTest {
  private static final long SECOND = 1_000_000_000L;
  private final RegistrationLimiter limiter = new RegistrationLimiter();

  @Test
  void eachAddressHasItsOwnBurst() {
    assertTrue(limiter.tryRegister("10.0.0.1", 1, 2, 0));
    assertTrue(limiter.tryRegister("10.0.0.1", 1, 2, 0));
    assertFalse(limiter.tryRegister("10.0.0.1", 1, 2, 0));
    assertTrue(limiter.tryRegister("10.0.0.2", 1, 2, 0), "another address is not limited by the first");
    assertTrue(limiter.tryRegister("10.0.0.1", 1, 2, SECOND), "one more per second");
  }

  @Test
  void addressesIdleUntilTheirBucketRefilledAreForgottenAndOthersKept() {
    for (int i = 0; i < 1_000; i++) {
      limiter.tryRegister("10.0." + (i / 256) + "." + (i % 256), 10, 20, 0);
    }
    long exhausted = 2 * SECOND - SECOND / 20;
    limiter.tryRegister("10.9.9.9", 10, 20, SECOND);
    for (int i = 0; i < 20; i++) {
      limiter.tryRegister("10.8.8.8", 10, 20, exhausted);
    }

    limiter.forgetIdle(10, 20, 2 * SECOND);

    assertEquals(2, limiter.addresses(), "2 s is the refill time of 20 at 10/s: only the recent two remain");
    assertFalse(limiter.tryRegister("10.8.8.8", 10, 20, 2 * SECOND), "an exhausted address is not started afresh");
  }

  @Test
  void rateZeroAdmitsAllAndRemembersNothing() {
    for (int i = 0; i < 100; i++) {
      assertTrue(limiter.tryRegister("10.0.0.1", 0, 1, 0));
    }
    assertEquals(0, limiter.addresses());
  }
}
