package io.agenthub.bridge;

import io.agenthub.clock.HubClock;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the bridge's current {@link AmqpLink}: opens it, reopens it with exponential backoff when it breaks, and
 * moves to a new target when the settings name one. Runs on the bridge's context.
 */
final class RabbitConnection {
  private static final Logger LOG = LoggerFactory.getLogger(RabbitConnection.class);

  /** What a freshly opened link must do before it serves: declare queues, start consuming. */
  interface Setup {
    void prepare(AmqpLink link) throws IOException;
  }

  private final Vertx vertx;
  private final Context context;
  private final String connectionName;
  private final Supplier<BridgeSettings> settings;
  private final Setup setup;
  /** Deliveries of a link not yet settled: a retired link is closed only once it holds none. */
  private final ToIntFunction<AmqpLink> inFlight;
  private final HubClock clock;
  private AmqpLink link;
  private Duration nextReconnectDelay;
  private long reconnectTimer = -1;
  private boolean stopping;

  RabbitConnection(Vertx vertx, Context context, String connectionName, Supplier<BridgeSettings> settings,
      Setup setup, ToIntFunction<AmqpLink> inFlight, HubClock clock) {
    this.vertx = vertx;
    this.context = context;
    this.connectionName = connectionName;
    this.settings = settings;
    this.setup = setup;
    this.inFlight = inFlight;
    this.clock = clock;
    this.nextReconnectDelay = settings.get().reconnectMin();
  }

  /** The open link, or a broken or null one while reconnecting. */
  AmqpLink current() {
    return link;
  }

  boolean isOpen() {
    return link != null && link.isOpen();
  }

  void connect() {
    reconnectTimer = -1;
    if (stopping) {
      return;
    }
    BridgeSettings current = settings.get();
    try {
      AmqpLink fresh = AmqpLink.open(context, current.broker(), connectionName, this::onLost, clock);
      link = fresh;
      setup.prepare(fresh);
      nextReconnectDelay = current.reconnectMin();
      LOG.info("Connected to RabbitMQ at {} (prefetch {})", fresh.target(), current.prefetch());
    } catch (IOException | TimeoutException | RuntimeException e) {
      if (link != null) {
        link.close();
      }
      scheduleReconnect("cannot connect to " + current.broker().target() + ": " + e.getMessage());
    }
  }

  void close() {
    stopping = true;
    vertx.cancelTimer(reconnectTimer);
    if (link != null) {
      link.close();
      LOG.info("RabbitMQ connection to {} closed", link.target());
    }
  }

  /**
   * The old link stops consuming, a new one is opened and takes all new traffic, and the old one closes once its
   * confirms and acknowledgements are settled (what it still holds unacked goes back to its queue).
   */
  void moveToNewTarget() {
    AmqpLink previous = link;
    link = null;
    if (previous != null) {
      retire(previous);
    }
    vertx.cancelTimer(reconnectTimer);
    reconnectTimer = -1;
    nextReconnectDelay = settings.get().reconnectMin();
    connect();
  }

  void setPrefetch(int prefetch) {
    if (link == null) {
      return;
    }
    try {
      link.consumer().setPrefetch(prefetch);
    } catch (IOException e) {
      LOG.warn("Could not apply RABBITMQ_PREFETCH={}: {}", prefetch, e.getMessage());
    }
  }

  void expireConfirms() {
    if (link != null) {
      link.expireConfirms(settings.get().publishConfirmTimeout());
    }
  }

  private void onLost(AmqpLink lost, String reason) {
    lost.close();
    if (lost == link) {
      scheduleReconnect("connection to " + lost.target() + " lost: " + reason);
    }
  }

  /** Exponential backoff with jitter, from RABBITMQ_RECONNECT_MIN_MS up to RABBITMQ_RECONNECT_MAX_MS. */
  private void scheduleReconnect(String why) {
    if (stopping || reconnectTimer != -1) {
      return;
    }
    double jitter = 0.8 + 0.4 * ThreadLocalRandom.current().nextDouble();
    long delay = Math.max(1, (long) (nextReconnectDelay.toMillis() * jitter));
    LOG.warn("RabbitMQ unavailable ({}); retrying in {} ms", why, delay);
    Duration doubled = nextReconnectDelay.multipliedBy(2);
    Duration max = settings.get().reconnectMax();
    nextReconnectDelay = doubled.compareTo(max) > 0 ? max : doubled;
    reconnectTimer = vertx.setTimer(delay, id -> connect());
  }

  private void retire(AmqpLink previous) {
    try {
      previous.consumer().stopConsuming();
    } catch (IOException e) {
      LOG.debug("Stopping the consumer on {} failed: {}", previous.target(), e.getMessage());
    }
    long deadline = clock.nanoTime() + settings.get().deliveryTimeout().toNanos();
    vertx.setPeriodic(100, timer -> {
      boolean settled = previous.unconfirmedCount() == 0 && inFlight.applyAsInt(previous) == 0;
      if (settled || clock.nanoTime() > deadline) {
        vertx.cancelTimer(timer);
        previous.close();
        LOG.info("Previous RabbitMQ connection to {} closed ({})", previous.target(),
            settled ? "drained" : "drain timed out; unacknowledged deliveries return to their queue");
      }
    });
  }
}
