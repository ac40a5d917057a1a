package io.agenthub.clock;

import java.time.Instant;

/**
 * The hub's only source of time. Everything whose behaviour depends on time (rate limits, timeouts, liveness, resume
 * windows, timestamps) reads it here, so a test can drive time by hand ({@code ManualClock} in the tests) instead of
 * waiting. Hub deployments use {@link #SYSTEM}. Timers still run on Vert.x; a clock decides what a timer that
 * fired finds.
 */
public interface HubClock {

  /** Monotonic nanoseconds, for durations and rates: never goes back, unrelated to the wall clock. */
  long nanoTime();

  /** The wall-clock instant, for timestamps clients see and for deadlines shared between instances. */
  Instant now();

  /** Wall-clock milliseconds since the epoch. */
  default long epochMillis() {
    return now().toEpochMilli();
  }

  /** The machine's clocks. */
  HubClock SYSTEM = new HubClock() {
    @Override
    public long nanoTime() {
      return System.nanoTime();
    }

    @Override
    public Instant now() {
      return Instant.now();
    }
  };
}
