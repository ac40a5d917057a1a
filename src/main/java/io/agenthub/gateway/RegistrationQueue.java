package io.agenthub.gateway;

import io.agenthub.clock.HubClock;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds the registrations this instance works on at once (MAX_REGISTRATIONS_IN_FLIGHT): the others wait here in
 * the order they came, their sockets paused, instead of being refused. A storm of reconnecting clients is so let in
 * as fast as presence registers them, and presence's queue, and the time each of its answers takes, stay bounded.
 * How long the oldest has waited says how saturated the instance is ({@link Upgrades} refuses new sockets with 503
 * beyond REGISTRATION_MAX_WAIT). Touched only on the gateway's context.
 */
final class RegistrationQueue {
  private static final Logger LOG = LoggerFactory.getLogger(RegistrationQueue.class);

  private record Waiting(ClientSession session, Supplier<Future<?>> registration, long sinceNanos) {
  }

  private final HubClock clock;
  private final IntSupplier maxInFlight;
  private final Deque<Waiting> waiting = new ArrayDeque<>();
  private int inFlight;
  /** True while {@link #startWhatFits} runs, so a registration that ends at once does not start it again within. */
  private boolean starting;

  RegistrationQueue(HubClock clock, IntSupplier maxInFlight) {
    this.clock = clock;
    this.maxInFlight = maxInFlight;
  }

  /** {@code registration} runs when its turn comes, and its future completes when the registration has ended. */
  void submit(ClientSession session, Supplier<Future<?>> registration) {
    waiting.add(new Waiting(session, registration, clock.nanoTime()));
    startWhatFits();
  }

  /** How long the oldest registration still waiting has waited; zero when none waits. */
  Duration oldestWait() {
    while (!waiting.isEmpty() && waiting.peek().session().isClosed()) {
      waiting.poll();
    }
    return waiting.isEmpty() ? Duration.ZERO : Duration.ofNanos(clock.nanoTime() - waiting.peek().sinceNanos());
  }

  private void startWhatFits() {
    if (starting) {
      return;
    }
    starting = true;
    try {
      while (inFlight < maxInFlight.getAsInt() && !waiting.isEmpty()) {
        Waiting next = waiting.poll();
        inFlight++;
        run(next).onComplete(ended -> ended());
      }
    } finally {
      starting = false;
    }
  }

  /** A registration that throws still ends: a slot lost for good would, one by one, stop every registration. */
  private static Future<?> run(Waiting next) {
    try {
      return next.registration().get();
    } catch (RuntimeException e) {
      LOG.error("Registration of {} failed: {}", next.session().logId(), e.toString(), e);
      return Future.failedFuture(e);
    }
  }

  private void ended() {
    inFlight--;
    startWhatFits();
  }
}
