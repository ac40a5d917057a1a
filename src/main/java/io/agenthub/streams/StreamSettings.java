package io.agenthub.streams;

import io.agenthub.config.HubConfig;
import io.agenthub.config.Setting;
import java.time.Duration;

/**
 * What the streams verticle reads of the configuration.
 *
 * @param idleTimeout an open stream that gets no chunk for this long ends as failed (its agent went silent, or left
 *     and did not come back)
 * @param cancelTimeout an agent asked to cancel that does not end its stream within this is cut off
 * @param maxChars the most characters of text one stream may carry
 * @param maxAge the longest a stream may stay open
 * @param retention how long an ended stream can still be joined
 * @param maxOpenPerAgent the most streams one agent may have open at once
 * @param askTtl how long a message handed to a streaming agent may still be answered with a stream
 * @param storeMaxChars the most characters of streams a single hub keeps in memory
 */
record StreamSettings(Duration idleTimeout, Duration cancelTimeout, long maxChars, Duration maxAge,
    Duration retention, int maxOpenPerAgent, Duration askTtl, long storeMaxChars) {

  static StreamSettings of(HubConfig config) {
    return new StreamSettings(
        config.duration(Setting.STREAM_IDLE_TIMEOUT),
        config.duration(Setting.STREAM_CANCEL_TIMEOUT),
        config.integer(Setting.STREAM_MAX_CHARS),
        config.duration(Setting.STREAM_MAX_AGE),
        config.duration(Setting.STREAM_RETENTION),
        config.integer(Setting.STREAM_MAX_OPEN_PER_AGENT),
        config.duration(Setting.STREAM_ASK_TTL),
        config.integer(Setting.STREAM_STORE_MAX_CHARS));
  }

  /** How long a stream's record and chunks are kept while it is open: until it is too old, then retained. */
  Duration openTtl() {
    return maxAge.plus(retention);
  }
}
