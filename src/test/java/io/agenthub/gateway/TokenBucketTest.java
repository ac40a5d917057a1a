package io.agenthub.gateway;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TokenBucketTest {
  private static final long SECOND = 1_000_000_000L;

  @Test
  void allowsABurstThenTheRate() {
    TokenBucket bucket = new TokenBucket(3, 0);
    for (int i = 0; i < 3; i++) {
      assertTrue(bucket.tryTake(2, 3, 0));
    }
    assertFalse(bucket.tryTake(2, 3, 0));
    assertTrue(bucket.tryTake(2, 3, SECOND / 2));
    assertFalse(bucket.tryTake(2, 3, SECOND / 2));
  }

  @Test
  void rateZeroMeansUnlimited() {
    TokenBucket bucket = new TokenBucket(1, 0);
    for (int i = 0; i < 1000; i++) {
      assertTrue(bucket.tryTake(0, 1, 0));
    }
  }

  @Test
  void neverStoresMoreThanTheBurst() {
    TokenBucket bucket = new TokenBucket(2, 0);
    bucket.tryTake(10, 2, 100 * SECOND);
    assertTrue(bucket.tryTake(10, 2, 100 * SECOND));
    assertFalse(bucket.tryTake(10, 2, 100 * SECOND));
  }
}
