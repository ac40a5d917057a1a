package io.agenthub.gateway;

import io.agenthub.gateway.ClientSession.Delivered;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;

/**
 * Protocol extension "session resume": the live deliveries to a resumed session, held back in arrival order while
 * its backlog is written, so that the backlog is not overtaken. Touched only on the gateway's context.
 */
final class HeldDeliveries {
  /** A frame addressed to the client, and what its sender is told once it is written or dropped. */
  record Held(String text, String key, Promise<Delivered> outcome) {
  }

  private final List<Held> held = new ArrayList<>();
  private boolean holding;

  void start() {
    holding = true;
  }

  boolean active() {
    return holding;
  }

  /** Completes when the delivery is released and written, or fails when it is dropped. */
  Future<Delivered> hold(String text, String key) {
    Promise<Delivered> outcome = Promise.promise();
    held.add(new Held(text, key, outcome));
    return outcome.future();
  }

  /** Stops holding; the held deliveries, oldest first. */
  List<Held> stop() {
    holding = false;
    List<Held> released = List.copyOf(held);
    held.clear();
    return released;
  }
}
