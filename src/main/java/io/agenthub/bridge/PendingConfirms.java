package io.agenthub.bridge;

import io.agenthub.clock.HubClock;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The publishes of one confirm-mode channel still waiting for RabbitMQ's confirm, by publish sequence number. Each
 * completes when it is confirmed, and fails with a {@link PublishFailure} when it is nacked, when its confirm is late,
 * or when the channel goes away first. Touched only on the bridge's context.
 */
final class PendingConfirms {
  private record Pending(Promise<Void> promise, long publishedAtNanos) {
  }

  private final HubClock clock;
  private final NavigableMap<Long, Pending> unconfirmed = new TreeMap<>();

  PendingConfirms(HubClock clock) {
    this.clock = clock;
  }

  /** The outcome of the publish about to be sent with this sequence number. */
  Future<Void> track(long sequence) {
    Promise<Void> promise = Promise.promise();
    unconfirmed.put(sequence, new Pending(promise, clock.nanoTime()));
    return promise.future();
  }

  /** The publish was never sent, or failed as it was sent: it fails with {@code failure}, not waiting for a confirm. */
  void failed(long sequence, PublishFailure failure) {
    Pending pending = unconfirmed.remove(sequence);
    if (pending != null) {
      pending.promise().tryFail(failure);
    }
  }

  /** RabbitMQ confirmed the publish {@code tag}, and every earlier one too when {@code multiple}. */
  void confirmed(long tag, boolean multiple) {
    settle(tag, multiple, null);
  }

  void nacked(long tag, boolean multiple) {
    settle(tag, multiple, PublishFailure.notPublished("nacked by RabbitMQ"));
  }

  int count() {
    return unconfirmed.size();
  }

  /**
   * Fails publishes whose confirm is older than {@code timeout}. They were sent, so RabbitMQ may still take them:
   * their senders learn the outcome is unknown, not that they were lost.
   */
  void expire(Duration timeout) {
    long now = clock.nanoTime();
    unconfirmed.values().removeIf(pending -> {
      boolean expired = now - pending.publishedAtNanos() > timeout.toNanos();
      if (expired) {
        pending.promise().tryFail(PublishFailure.outcomeUnknown("no confirm from RabbitMQ within the timeout"));
      }
      return expired;
    });
  }

  /** The messages were sent, but their confirms are lost with the channel: RabbitMQ may or may not have them. */
  void failAll(String reason) {
    PublishFailure failure = PublishFailure.outcomeUnknown(reason);
    unconfirmed.values().forEach(pending -> pending.promise().tryFail(failure));
    unconfirmed.clear();
  }

  private void settle(long tag, boolean multiple, PublishFailure failure) {
    Map<Long, Pending> settled = multiple
        ? unconfirmed.headMap(tag, true)
        : unconfirmed.subMap(tag, true, tag, true);
    settled.values().forEach(pending -> {
      if (failure == null) {
        pending.promise().tryComplete();
      } else {
        pending.promise().tryFail(failure);
      }
    });
    settled.clear();
  }
}
