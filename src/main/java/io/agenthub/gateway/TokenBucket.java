package io.agenthub.gateway;

/**
 * Per-client flood limit: {@code ratePerSecond} frames on average, up to {@code burst} at once. Touched only on the
 * gateway's context, so it needs no locking. A rate of 0 turns the limit off.
 */
final class TokenBucket {
  private double tokens;
  private long lastRefillNanos;

  TokenBucket(int burst, long nowNanos) {
    this.tokens = burst;
    this.lastRefillNanos = nowNanos;
  }

  boolean tryTake(int ratePerSecond, int burst, long nowNanos) {
    if (ratePerSecond == 0) {
      return true;
    }
    double elapsedSeconds = (nowNanos - lastRefillNanos) / 1e9;
    lastRefillNanos = nowNanos;
    tokens = Math.min(burst, tokens + elapsedSeconds * ratePerSecond);
    if (tokens < 1) {
      return false;
    }
    tokens -= 1;
    return true;
  }
}
