package io.agenthub.gateway;

/**
 * A flood limit: {@code ratePerSecond} on average, up to {@code burst} at once. Touched only on the gateway's context,
 * so it needs no locking. A rate of 0 turns the limit off. Besides taking a token before an act, a token can be
 * charged after one ({@link #charge}), which may leave the bucket in debt.
 */
final class TokenBucket {
  private static final double ROUNDING_NANOS = 1e-3;

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
    refill(ratePerSecond, burst, nowNanos);
    if (tokens < 1) {
      return false;
    }
    tokens -= 1;
    return true;
  }

  /**
   * Takes one token for an act already done, even when none is left: the bucket goes into debt, down to minus one
   * burst, and what it owes is paid back at the rate before it holds {@code needed} tokens again.
   */
  void charge(int ratePerSecond, int burst, long nowNanos) {
    if (ratePerSecond > 0) {
      refill(ratePerSecond, burst, nowNanos);
      tokens = Math.max(-burst, tokens - 1);
    }
  }

  /**
   * Nanoseconds until the bucket holds {@code needed} tokens; 0 when it does now, or when the limit is off. Rounding
   * noise of the token count (far below a nanosecond) is not a wait.
   */
  long nanosUntil(double needed, int ratePerSecond, int burst, long nowNanos) {
    if (ratePerSecond == 0) {
      return 0;
    }
    refill(ratePerSecond, burst, nowNanos);
    return tokens >= needed ? 0 : (long) Math.ceil((needed - tokens) * 1e9 / ratePerSecond - ROUNDING_NANOS);
  }

  /** Full again: forgetting the bucket and starting afresh at {@code burst} would change nothing. */
  boolean isFull(int ratePerSecond, int burst, long nowNanos) {
    return nanosUntil(burst, ratePerSecond, burst, nowNanos) == 0;
  }

  private void refill(int ratePerSecond, int burst, long nowNanos) {
    double elapsedSeconds = (nowNanos - lastRefillNanos) / 1e9;
    lastRefillNanos = nowNanos;
    tokens = Math.min(burst, tokens + elapsedSeconds * ratePerSecond);
  }
}
