package io.agenthub.bridge;

/**
 * Why a publish did not complete. {@code certain} says whether RabbitMQ certainly does not have the message (never
 * sent, or nacked) or may have it (sent, but its confirm was lost with the connection or did not come in time).
 */
final class PublishFailure extends RuntimeException {
  private final boolean certain;

  private PublishFailure(String reason, boolean certain) {
    super(reason, null, false, false);
    this.certain = certain;
  }

  static PublishFailure notPublished(String reason) {
    return new PublishFailure(reason, true);
  }

  static PublishFailure outcomeUnknown(String reason) {
    return new PublishFailure(reason, false);
  }

  /** True when the message was certainly not published; false when RabbitMQ may hold it. */
  boolean certainlyNotPublished() {
    return certain;
  }
}
