package io.agenthub.bridge;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What this instance lately did with deliveries from RabbitMQ, by their {@link DeliveryKey}. When a connection breaks
 * between settling a delivery and its ack reaching RabbitMQ, RabbitMQ delivers it again with its {@code redelivered}
 * flag set; one found {@link Progress#settled} was already handled and is only acknowledged. One found unsettled was
 * delivered to its receiver (socket, agent queue or resume queue) but not yet copied to every member's monitors
 * when it went back to the queue; its redelivery only sends the copies still missing, so neither the receiver nor a
 * monitor gets it twice. Bounded: the oldest entries go first; an ack can only be lost while it is in flight, so a
 * few times the prefetch is plenty. Touched only on the bridge's context.
 */
final class RecentlyRouted {
  /**
   * @param except the client that got the message directly (no copy for it), or null
   * @param copiedTo the members whose monitors already have their copy
   * @param settled true once the delivery was acknowledged: nothing is left to do for it
   */
  record Progress(String except, Set<String> copiedTo, boolean settled) {
  }

  private static final Progress SETTLED = new Progress(null, Set.of(), true);

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

  /** Delivered to its receiver, copies outstanding: the delivery goes back to its queue. */
  void delivered(String key, String except, Set<String> copiedTo) {
    progress.put(key, new Progress(except, Set.copyOf(copiedTo), false));
  }

  void settled(String key) {
    progress.remove(key);
    progress.put(key, SETTLED);
  }

  /** What was done with this message before, or null when nothing is remembered. */
  Progress find(String key) {
    return progress.get(key);
  }
}
