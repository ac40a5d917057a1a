package io.agenthub.gateway;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Registrations per remote address on this instance: a client that registers and drops sockets in a loop would
 * otherwise fill the presence list as fast as the network allows. One {@link TokenBucket} per address; an address
 * idle long enough for its bucket to be full again is forgotten, so the map holds only recent registrants. Touched
 * only on the gateway's context.
 */
final class RegistrationLimiter {
  private record Entry(TokenBucket bucket, long lastUseNanos) {
  }

  private final Map<String, Entry> byAddress = new HashMap<>();

  boolean tryRegister(String address, int ratePerSecond, int burst, long nowNanos) {
    if (ratePerSecond == 0) {
      return true;
    }
    Entry entry = byAddress.get(address);
    TokenBucket bucket = entry == null ? new TokenBucket(burst, nowNanos) : entry.bucket();
    byAddress.put(address, new Entry(bucket, nowNanos));
    return bucket.tryTake(ratePerSecond, burst, nowNanos);
  }

  /** Forgets every address whose bucket has refilled: starting it afresh at {@code burst} changes nothing. */
  void forgetIdle(int ratePerSecond, int burst, long nowNanos) {
    long refillNanos = ratePerSecond == 0 ? 0 : (long) Math.ceil(burst * 1e9 / ratePerSecond);
    for (Iterator<Entry> entries = byAddress.values().iterator(); entries.hasNext(); ) {
      if (nowNanos - entries.next().lastUseNanos() >= refillNanos) {
        entries.remove();
      }
    }
  }

  /** How many addresses are remembered: only those that registered within the time their bucket takes to refill. */
  int addresses() {
    return byAddress.size();
  }
}
