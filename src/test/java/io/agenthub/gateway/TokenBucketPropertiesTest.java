package io.agenthub.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Properties of the token bucket on many generated attempt schedules: over any window of t seconds at most
 * burst + rate·t frames are admitted, a client that keeps to its rate is never refused, and rate 0 admits all.
 */
class TokenBucketPropertiesTest {
  private static final double SLACK = 1e-6;

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("io.agenthub.support.Seeds#seeds")
  void neverMoreThanBurstPlusRateTimesTInAnyWindow(long seed) {
    Random random = new Random(seed);
    int rate = 1 + random.nextInt(500);
    int burst = 1 + random.nextInt(100);
    long now = random.nextLong() / 2;
    TokenBucket bucket = new TokenBucket(burst, now);
    List<Long> admitted = new ArrayList<>();
    for (int episode = 0; episode < 20; episode++) {
      now += nextGap(random, rate, burst);
      int attempts = random.nextBoolean() ? 1 + random.nextInt(2 * burst) : 1;
      for (int i = 0; i < attempts; i++) {
        now += random.nextInt(3) == 0 ? (long) (random.nextDouble() * 2e9 / rate) : 0;
        if (bucket.tryTake(rate, burst, now)) {
          admitted.add(now);
        }
      }
    }
    for (int from = 0; from < admitted.size(); from++) {
      for (int to = from; to < admitted.size(); to++) {
        double seconds = (admitted.get(to) - admitted.get(from)) / 1e9;
        int inWindow = to - from + 1;
        assertTrue(inWindow <= burst + rate * seconds + SLACK, "seed " + seed + ": " + inWindow
            + " admitted in " + seconds + " s with rate " + rate + " and burst " + burst);
      }
    }
  }

  /** Between runs of attempts: none, up to three token intervals, or a pause long enough to refill the bucket. */
  private static long nextGap(Random random, int rate, int burst) {
    return switch (random.nextInt(3)) {
      case 0 -> 0;
      case 1 -> (long) (random.nextDouble() * 3e9 / rate);
      default -> (long) ((1 + random.nextDouble()) * burst * 1e9 / rate);
    };
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("io.agenthub.support.Seeds#seeds")
  void aClientKeepingToItsRateIsNeverRefused(long seed) {
    Random random = new Random(seed);
    int rate = 1 + random.nextInt(1_000);
    int burst = 1 + random.nextInt(100);
    long now = 0;
    TokenBucket bucket = new TokenBucket(burst, now);
    long interval = (long) Math.ceil(1e9 / rate);
    for (int i = 0; i < 500; i++) {
      now += interval + random.nextInt(1_000);
      assertTrue(bucket.tryTake(rate, burst, now), "seed " + seed + ": frame " + i + " at the rate was refused");
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("io.agenthub.support.Seeds#seeds")
  void rateZeroAdmitsEverything(long seed) {
    Random random = new Random(seed);
    TokenBucket bucket = new TokenBucket(1, 0);
    int admitted = 0;
    for (int i = 0; i < 1_000; i++) {
      admitted += bucket.tryTake(0, 1, random.nextInt(10)) ? 1 : 0;
    }
    assertEquals(1_000, admitted, "seed " + seed);
  }
}
