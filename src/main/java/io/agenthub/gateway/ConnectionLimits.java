package io.agenthub.gateway;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Counts this instance's sockets, in all and per remote IP address, from the accepted upgrade to the close, and
 * decides whether one more may open. Touched only on the gateway's context.
 */
final class ConnectionLimits {
  /** Why an upgrade is refused: the HTTP status for the client and the metric's reason. */
  enum Refusal {
    INSTANCE_FULL(503, "max_connections"),
    ADDRESS_FULL(429, "max_connections_per_address");

    final int httpStatus;
    final String reason;

    Refusal(int httpStatus, String reason) {
      this.httpStatus = httpStatus;
      this.reason = reason;
    }
  }

  private final Map<String, Integer> perAddress = new HashMap<>();
  private int open;

  /** Counts the socket as open unless a limit is reached; the refusal otherwise. */
  Optional<Refusal> tryOpen(String address, int maxConnections, int maxPerAddress) {
    if (open >= maxConnections) {
      return Optional.of(Refusal.INSTANCE_FULL);
    }
    int fromAddress = perAddress.getOrDefault(address, 0);
    if (fromAddress >= maxPerAddress) {
      return Optional.of(Refusal.ADDRESS_FULL);
    }
    open++;
    perAddress.put(address, fromAddress + 1);
    return Optional.empty();
  }

  void closed(String address) {
    open--;
    perAddress.computeIfPresent(address, (a, count) -> count > 1 ? count - 1 : null);
  }

  int open() {
    return open;
  }
}
