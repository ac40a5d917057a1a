package io.agenthub.bridge;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The key of a message consumed from {@code broker_output_queue}, passed with every frame written for it
 * ({@link io.agenthub.bus.Addresses#DELIVERY_KEY_HEADER}): the first 128 bits of a SHA-256 of the consumed bytes, so
 * a redelivery gives the same key on any instance. Never the {@code message_id}: the copy of a message a client sent
 * and the message a broker routed back may share one and are still two frames.
 */
final class DeliveryKey {
  private static final int KEY_BYTES = 16;

  private DeliveryKey() {
  }

  /** The key of the message itself, written to its receiver or as its monitoring copy. */
  static String of(byte[] body) {
    try {
      return HexFormat.of().formatHex(Arrays.copyOf(MessageDigest.getInstance("SHA-256").digest(body), KEY_BYTES));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /**
   * The key of the AGENT_OFFLINE error written to the sender for this message: another frame than the message's
   * monitoring copy, which the sender gets too, so it must not share its key.
   */
  static String ofAgentOffline(String messageKey) {
    return messageKey + ".agent_offline";
  }
}
