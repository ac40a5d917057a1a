package io.agenthub.bench;

import io.agenthub.protocol.ErrorCode;
import io.agenthub.protocol.Fields;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When the hub says a client may come back, as the reference companions read it: an upgrade refused with 429 or 503
 * and {@code Retry-After} (seconds), a registration refused with {@code RATE_LIMITED} and {@code retry_after_ms}.
 * The generator's clients wait that long plus up to half again at random, as the companions do, so a crowd refused
 * together does not return together. A refusal without a hint is a failure the scenario reports.
 */
final class RetryHints {
  private static final String RETRY_AFTER_MS = "retry_after_ms";
  private RetryHints() {
  }

  /** Milliseconds to wait before opening again, or 0 when the failure carries no hint. */
  static long ofUpgrade(Throwable failure) {
    if (!(failure instanceof UpgradeRejectedException rejected)
        || (rejected.getStatus() != 429 && rejected.getStatus() != 503) || rejected.getHeaders() == null) {
      return 0;
    }
    String seconds = rejected.getHeaders().get(HttpHeaders.RETRY_AFTER);
    try {
      return seconds == null ? 0 : Math.max(1, Long.parseLong(seconds.trim()) * 1000);
    } catch (NumberFormatException notSeconds) {
      return 0;
    }
  }

  /** Milliseconds to wait before registering again on the same socket, or 0 when the refusal carries no hint. */
  static long ofRefusal(JsonObject error) {
    return ErrorCode.RATE_LIMITED.name().equals(error.getString(Fields.ERROR_CODE))
        && error.getValue(RETRY_AFTER_MS) instanceof Number wait ? Math.max(1, wait.longValue()) : 0;
  }

  static long withJitter(long millis) {
    return millis + ThreadLocalRandom.current().nextLong(millis / 2 + 1);
  }
}
