package io.agenthub.bridge;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The key of a message consumed from RabbitMQ, computed once per delivery: the first 128 bits of a SHA-256 of the
 * consumed bytes, so a redelivery gives the same key on any instance. It is passed with every frame written for the
 * message ({@link io.agenthub.bus.Addresses#DELIVERY_KEY_HEADER}), so no socket gets it twice, and it is what
 * {@link RecentlyRouted} remembers. Never the {@code message_id}: the copy of a message a client sent and the message
 * a broker routed back may share one and are still two frames. SHA-256 rather than a cheaper non-cryptographic hash,
 * because bodies come from whatever publishes to RabbitMQ: a collision would make a new message look already handled
 * and drop it.
 */
final class DeliveryKey {
  private static final int KEY_BYTES = 16;
  /**
   * One digest per thread: {@code getInstance} per message was ≈ 2 % of the hub's CPU in the legacy workload's
   * profile, and a MessageDigest is not thread-safe (the bridges of several hubs in one JVM run on several threads).
   */
  private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(DeliveryKey::newSha256);

  private DeliveryKey() {
  }

  /** The key of the message itself, written to its receiver or as its monitoring copy. */
  static String of(byte[] body) {
    return HexFormat.of().formatHex(Arrays.copyOf(SHA_256.get().digest(body), KEY_BYTES));
  }

  /**
   * The key of the AGENT_OFFLINE error written to the sender for this message: another frame than the message's
   * monitoring copy, which the sender gets too, so it must not share its key.
   */
  static String ofAgentOffline(String messageKey) {
    return messageKey + ".agent_offline";
  }

  private static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
