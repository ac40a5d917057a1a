package io.agenthub.streams;

import io.agenthub.bus.StreamRefusal;
import io.agenthub.protocol.ErrorCode;

/** A refusal of a stream request, carried as a failed future to the handler that answers the requester. */
final class Refused extends RuntimeException {
  private final transient StreamRefusal refusal;

  Refused(ErrorCode code, String text) {
    super(code + ": " + text, null, false, false);
    this.refusal = new StreamRefusal(code.name(), text);
  }

  StreamRefusal refusal() {
    return refusal;
  }

  static <T> io.vertx.core.Future<T> with(ErrorCode code, String text) {
    return io.vertx.core.Future.failedFuture(new Refused(code, text));
  }
}
