package io.agenthub.bridge;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The deliveries from RabbitMQ whose outcome this instance settled lately (written to a socket, published to an
 * agent's queue, dead-lettered), by a digest of their body. When a connection breaks between settling a delivery and
 * its ack reaching RabbitMQ, RabbitMQ delivers it again with its {@code redelivered} flag set; one found here was
 * already handled and is only acknowledged. Bounded: the oldest entries go first; an ack can only be lost while it
 * is in flight, so a few times the prefetch is plenty. Touched only on the bridge's context.
 */
final class RecentlyRouted {
  /** The first 128 bits of a SHA-256: small to keep, and no two messages share them in practice. */
  private record Digest(long high, long low) {
  }

  private final int capacity;
  private final Map<Digest, Boolean> digests;

  RecentlyRouted(int capacity) {
    this.capacity = capacity;
    this.digests = new LinkedHashMap<>(16, 0.75f, false) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Digest, Boolean> eldest) {
        return size() > RecentlyRouted.this.capacity;
      }
    };
  }

  void remember(byte[] body) {
    digests.put(digest(body), Boolean.TRUE);
  }

  boolean contains(byte[] body) {
    return digests.containsKey(digest(body));
  }

  private static Digest digest(byte[] body) {
    try {
      ByteBuffer sha = ByteBuffer.wrap(MessageDigest.getInstance("SHA-256").digest(body));
      return new Digest(sha.getLong(), sha.getLong());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
