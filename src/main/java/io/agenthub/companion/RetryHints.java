package io.agenthub.companion;

import io.agenthub.protocol.ErrorCode;
import io.agenthub.protocol.Fields;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When the hub says to come back: the {@code Retry-After} of a refused upgrade, the {@code retry_after_ms} of a
 * RATE_LIMITED; and the random spread a client adds, so that a crowd refused at one moment returns over a while.
 */
final class RetryHints {
  private RetryHints() {
  }

  /** The milliseconds a refused upgrade's {@code Retry-After} (whole seconds) asks for; 0 when it has none. */
  static long ofUpgrade(Throwable failure) {
    if (failure instanceof UpgradeRejectedException rejected && rejected.getHeaders() != null) {
      String seconds = rejected.getHeaders().get(HttpHeaders.RETRY_AFTER);
      if (seconds != null && seconds.trim().matches("\\d{1,6}")) {
        return Math.max(1, Long.parseLong(seconds.trim())) * 1000;
      }
    }
    return 0;
  }

  /** The {@code retry_after_ms} of a RATE_LIMITED ERROR; 0 for any other frame. */
  static long ofRefusal(JsonObject frame) {
    return ErrorCode.RATE_LIMITED.name().equals(frame.getString(Fields.ERROR_CODE))
        && frame.getValue(Fields.RETRY_AFTER_MS) instanceof Number ms ? Math.max(1, ms.longValue()) : 0;
  }

  /** {@code ms} plus up to half again, at random. */
  static long withJitter(long ms) {
    return ms + ThreadLocalRandom.current().nextLong(ms / 2 + 1);
  }
}
