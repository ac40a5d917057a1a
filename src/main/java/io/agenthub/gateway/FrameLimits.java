package io.agenthub.gateway;

/**
 * A client's flood limits: its frames (CLIENT_RATE_LIMIT), and, for an agent that streams, its chunks
 * (STREAM_CHUNK_RATE_LIMIT, a bucket made at its first chunk). Touched only on the gateway's context.
 */
final class FrameLimits {
  private final TokenBucket frames;
  private TokenBucket chunks;

  FrameLimits(TokenBucket frames) {
    this.frames = frames;
  }

  TokenBucket frames() {
    return frames;
  }

  /** Full at first: {@code 2 * rate} chunks may come at once. */
  TokenBucket chunks(int rate, long nowNanos) {
    if (chunks == null) {
      chunks = new TokenBucket(2 * rate, nowNanos);
    }
    return chunks;
  }
}
