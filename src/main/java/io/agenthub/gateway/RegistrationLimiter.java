package io.agenthub.gateway;

import io.agenthub.clock.HubClock;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What one remote address may still register on this instance. Volume costs nothing: a crowd behind one proxy or
 * NAT that registers and stays, and clients that come back with their previous ids, are never counted. What is
 * counted is what a client abusing the hub does, and what it leaves behind: every new agent identity (a presence
 * record and a queue that outlive the socket), every registration refused for its token, and every registered socket
 * that closes within REGISTRATION_CHURN_WINDOW (a register-and-drop loop). Each is a token of the address's
 * {@link TokenBucket} (REGISTRATION_RATE_LIMIT per second, REGISTRATION_RATE_BURST at once), charged after the act
 * and down to a debt of one burst. A registration asking for a new id needs a whole token left; one presenting a
 * previous id is let in while the debt is under one burst, so a crowd whose sockets all dropped at once is back
 * as soon as it reconnects. Only charged addresses are remembered, until their bucket is full again. Touched only on
 * the gateway's context.
 */
final class RegistrationLimiter {
  private final Supplier<GatewaySettings> settings;
  private final HubClock clock;
  private final Map<String, TokenBucket> byAddress = new HashMap<>();

  RegistrationLimiter(Supplier<GatewaySettings> settings, HubClock clock) {
    this.settings = settings;
    this.clock = clock;
  }

  /** Nanoseconds until a registration from {@code address} is let in; 0 when it is now. */
  long waitNanos(String address, boolean presentsPreviousId) {
    TokenBucket bucket = byAddress.get(address);
    if (bucket == null) {
      return 0;
    }
    GatewaySettings current = settings.get();
    double needed = presentsPreviousId ? 1 - current.registrationRateBurst() : 1;
    return bucket.nanosUntil(needed, current.registrationRateLimit(), current.registrationRateBurst(),
        clock.nanoTime());
  }

  /** One token for a new agent identity or a refused token. */
  void charge(String address) {
    GatewaySettings current = settings.get();
    if (current.registrationRateLimit() == 0) {
      return;
    }
    long now = clock.nanoTime();
    byAddress.computeIfAbsent(address, a -> new TokenBucket(current.registrationRateBurst(), now))
        .charge(current.registrationRateLimit(), current.registrationRateBurst(), now);
  }

  /** A registered socket closed: one token when it lived less than REGISTRATION_CHURN_WINDOW. */
  void closed(String address, long registeredAtNanos) {
    if (clock.nanoTime() - registeredAtNanos < settings.get().registrationChurnWindow().toNanos()) {
      charge(address);
    }
  }

  /** Forgets every address whose bucket has refilled: starting it afresh at the burst changes nothing. */
  void forgetIdle() {
    GatewaySettings current = settings.get();
    long now = clock.nanoTime();
    for (Iterator<TokenBucket> buckets = byAddress.values().iterator(); buckets.hasNext(); ) {
      if (buckets.next().isFull(current.registrationRateLimit(), current.registrationRateBurst(), now)) {
        buckets.remove();
      }
    }
  }

  /** How many addresses are remembered: only those charged within the time their bucket takes to refill. */
  int addresses() {
    return byAddress.size();
  }
}
