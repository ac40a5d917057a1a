package io.agenthub.bridge;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What this instance lately did with deliveries from RabbitMQ, by a digest of their body. When a connection breaks
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

  /** The first 128 bits of a SHA-256: small to keep, and no two messages share them in practice. */
  private record Digest(long high, long low) {
  }

  private static final Progress SETTLED = new Progress(null, Set.of(), true);

  private final int capacity;
  private final Map<Digest, Progress> progress;
  /**
   * One instance for every delivery: MessageDigest is not thread-safe, but this class is touched only on the
   * bridge's context, and {@code getInstance} per message was ≈ 2 % of the hub's CPU in the legacy workload's
   * profile. SHA-256 stays, rather than a cheaper non-cryptographic hash, because bodies come from whatever
   * publishes to RabbitMQ: a collision would make a new message look already handled and drop it.
   */
  private final MessageDigest sha256;

  RecentlyRouted(int capacity) {
    this.capacity = capacity;
    this.sha256 = newSha256();
    this.progress = new LinkedHashMap<>(16, 0.75f, false) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Digest, Progress> eldest) {
        return size() > RecentlyRouted.this.capacity;
      }
    };
  }

  /** Delivered to its receiver, copies outstanding: the delivery goes back to its queue. */
  void delivered(byte[] body, String except, Set<String> copiedTo) {
    progress.put(digest(body), new Progress(except, Set.copyOf(copiedTo), false));
  }

  void settled(byte[] body) {
    Digest digest = digest(body);
    progress.remove(digest);
    progress.put(digest, SETTLED);
  }

  /** What was done with this body before, or null when nothing is remembered. */
  Progress find(byte[] body) {
    return progress.get(digest(body));
  }

  private Digest digest(byte[] body) {
    ByteBuffer sha = ByteBuffer.wrap(sha256.digest(body));
    return new Digest(sha.getLong(), sha.getLong());
  }

  private static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
