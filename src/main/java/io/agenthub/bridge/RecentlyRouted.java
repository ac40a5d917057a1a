package io.agenthub.bridge;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What this instance lately did with deliveries from RabbitMQ, by their {@link DeliveryKey}. When a connection breaks
 * between settling a delivery and its ack reaching RabbitMQ, RabbitMQ delivers it again with its {@code redelivered}
 * flag set; one found {@link Stage#SETTLED} was already handled and is only acknowledged. One found
 * {@link Stage#DELIVERED} reached its receiver (socket, agent queue or resume queue) but was not yet copied to every
 * member's monitors when it went back to the queue; its redelivery only sends the copies still missing, so neither
 * the receiver nor a monitor gets it twice. One found {@link Stage#MAYBE_PUBLISHED} was published to an agent's queue
 * whose confirm never came: RabbitMQ may hold it or not, so it is published again (losing it is worse), and the
 * agent tells the repeat by its key. Bounded: the oldest entries go first; an ack can only be lost while it is in
 * flight, so a few times the prefetch is plenty. Touched only on the bridge's context.
 */
final class RecentlyRouted {
  /** How far an earlier delivery of a message got. */
  enum Stage { MAYBE_PUBLISHED, DELIVERED, SETTLED }

  /**
   * @param stage how far it got
   * @param except the client that got the message directly (no copy for it), or null
   * @param copiedTo the members whose monitors already have their copy
   */
  record Progress(Stage stage, String except, Set<String> copiedTo) {
    boolean settled() {
      return stage == Stage.SETTLED;
    }

    /** Delivered to its receiver: only copies may be missing. */
    boolean delivered() {
      return stage == Stage.DELIVERED;
    }
  }

  private static final Progress SETTLED = new Progress(Stage.SETTLED, null, Set.of());
  private static final Progress MAYBE_PUBLISHED = new Progress(Stage.MAYBE_PUBLISHED, null, Set.of());

  private final int capacity;
  private final Map<String, Progress> progress;

  RecentlyRouted(int capacity) {
    this.capacity = capacity;
    this.progress = new LinkedHashMap<>(16, 0.75f, false) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Progress> eldest) {
        return size() > RecentlyRouted.this.capacity;
      }
    };
  }

  /**
   * Routing failed and the delivery goes back to its queue; remembered when the failure was a publish to an agent's
   * queue whose confirm never came, so the one published again is counted.
   */
  void failed(String key, Throwable cause) {
    if (cause instanceof PublishFailure failure && !failure.certainlyNotPublished()) {
      progress.remove(key);
      progress.put(key, MAYBE_PUBLISHED);
    }
  }

  /** Delivered to its receiver, copies outstanding: the delivery goes back to its queue. */
  void delivered(String key, String except, Set<String> copiedTo) {
    progress.put(key, new Progress(Stage.DELIVERED, except, Set.copyOf(copiedTo)));
  }

  void settled(String key) {
    progress.remove(key);
    progress.put(key, SETTLED);
  }

  /** What was done with a redelivered message before; null for a first delivery or when nothing is remembered. */
  Progress earlier(AmqpLink.Delivery delivery, String key) {
    return delivery.redelivered() ? progress.get(key) : null;
  }
}
