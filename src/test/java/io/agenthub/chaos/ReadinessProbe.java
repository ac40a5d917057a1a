package io.agenthub.chaos;

import io.vertx.core.json.JsonArray;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Polls a hub's {@code GET /health/ready} every 50 ms on a scheduler thread of its own and records each spell in
 * which it was not 200 (DOWN, or no answer), in milliseconds: how long an orchestrator would have taken the instance
 * out.
 */
final class ReadinessProbe implements AutoCloseable {
  private static final long PERIOD_MS = 50;

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
  private final HttpRequest request;
  private final List<Double> downSpellsMillis = new ArrayList<>();
  private final List<Long> upAgainNanos = new ArrayList<>();
  private final ScheduledExecutorService scheduler;
  /** When the current DOWN spell began, -1 while up; touched by the scheduler's one thread, then by close(). */
  private long downSince = -1;

  ReadinessProbe(int port) {
    request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready"))
        .timeout(Duration.ofSeconds(1)).build();
    scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
      Thread thread = new Thread(task, "chaos-readiness-" + port);
      thread.setDaemon(true);
      return thread;
    });
    scheduler.scheduleWithFixedDelay(this::probe, 0, PERIOD_MS, TimeUnit.MILLISECONDS);
  }

  private void probe() {
    boolean up = isUp();
    long now = System.nanoTime();
    if (!up && downSince < 0) {
      downSince = now;
    } else if (up && downSince >= 0) {
      record(now - downSince);
      upAgain(now);
      downSince = -1;
    }
  }

  private boolean isUp() {
    try {
      return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (Exception noAnswer) {
      return false;
    }
  }

  private synchronized void record(long nanos) {
    downSpellsMillis.add(Math.round(nanos / 1e5) / 10.0);
  }

  private synchronized void upAgain(long nanos) {
    upAgainNanos.add(nanos);
  }

  /** Milliseconds from {@code nanos} to the first moment after it at which the hub was seen ready again. */
  synchronized Double readyAgainAfterMillis(long nanos) {
    return upAgainNanos.stream().filter(up -> up >= nanos).findFirst()
        .map(up -> Math.round((up - nanos) / 1e5) / 10.0).orElse(null);
  }

  /** The DOWN spells so far, in ms, with the probe's 50 ms resolution. */
  synchronized JsonArray downSpellsMillis() {
    return new JsonArray(new ArrayList<>(downSpellsMillis));
  }

  @Override
  public void close() throws InterruptedException {
    scheduler.shutdown();
    scheduler.awaitTermination(5, TimeUnit.SECONDS);
    if (downSince >= 0) {
      record(System.nanoTime() - downSince);
    }
  }
}
