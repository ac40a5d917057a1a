package io.agenthub.presence;

import io.vertx.core.Future;
import java.util.function.Supplier;

/**
 * Presence's writes to the shared store, one after the other, so that two changes of one client reach it in the
 * order they happened. Touched only on presence's context.
 */
final class WriteChain {
  private Future<Void> writes = Future.succeededFuture();

  /** Runs the write once every earlier one has finished, whether it succeeded or not. */
  Future<Void> then(Supplier<Future<Void>> write) {
    writes = writes.transform(previous -> write.get());
    return writes;
  }

  /** Completes when every write asked for so far has finished. */
  Future<Void> settled() {
    return writes;
  }
}
