package io.agenthub.support;

import io.agenthub.clock.HubClock;
import java.time.Duration;
import java.time.Instant;

/** A {@link HubClock} that moves only when a test says so; both of its clocks move together. */
public final class ManualClock implements HubClock {
  private long nanos;
  private Instant now;

  public ManualClock(Instant start) {
    this.now = start;
  }

  public ManualClock() {
    this(Instant.parse("2026-01-01T00:00:00Z"));
  }

  public synchronized void advance(Duration by) {
    nanos += by.toNanos();
    now = now.plus(by);
  }

  @Override
  public synchronized long nanoTime() {
    return nanos;
  }

  @Override
  public synchronized Instant now() {
    return now;
  }
}
