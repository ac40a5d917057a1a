package io.agenthub.protocol;

import java.util.Locale;
import java.util.Optional;

/** How a streamed reply ended (protocol extension "streamed replies"), as {@code reason} says on the wire. */
public enum StreamEndReason {
  /** The agent finished its reply. */
  COMPLETE,
  /** The requester or an operator cancelled it, and the agent stopped or was cut off. */
  CANCELLED,
  /** The agent failed, or the hub ended the stream: {@code error_code} says why. */
  FAILED;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<StreamEndReason> parse(Object wireName) {
    for (StreamEndReason reason : values()) {
      if (reason.wireName().equals(wireName)) {
        return Optional.of(reason);
      }
    }
    return Optional.empty();
  }
}
