package io.agenthub.companion;

import io.vertx.core.Vertx;
import java.util.ArrayDeque;

/**
 * The reference echo agent's pace ({@code agent --concurrency N --work-ms N}): at most {@code maxConcurrency} answers
 * in progress at once (0: no limit), each starting after {@code workMillis} of work; the others wait in the order they
 * came. An answer is in progress from the start of its work until {@link #done} is called, once it was sent. Called
 * from the agent's AMQP and WebSocket handlers, so its state is guarded by its lock.
 */
final class EchoWork {
  private final Vertx vertx;
  private final int maxConcurrency;
  private final long workMillis;
  private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
  private int inProgress;

  EchoWork(Vertx vertx, int maxConcurrency, long workMillis) {
    this.vertx = vertx;
    this.maxConcurrency = maxConcurrency;
    this.workMillis = workMillis;
  }

  /** {@code answer} runs once a slot is free and the work is done. */
  void submit(Runnable answer) {
    synchronized (this) {
      waiting.add(answer);
    }
    startWhatFits();
  }

  /** An answer was sent (or given up): its slot is free. */
  void done() {
    synchronized (this) {
      inProgress--;
    }
    startWhatFits();
  }

  /** Answers in progress, as the agent reports them in its PONG ({@code tasks_in_progress}). */
  synchronized int inProgress() {
    return inProgress;
  }

  private void startWhatFits() {
    while (true) {
      Runnable next;
      synchronized (this) {
        if (waiting.isEmpty() || (maxConcurrency > 0 && inProgress >= maxConcurrency)) {
          return;
        }
        next = waiting.poll();
        inProgress++;
      }
      if (workMillis > 0) {
        vertx.setTimer(workMillis, t -> next.run());
      } else {
        next.run();
      }
    }
  }
}
