package io.agenthub.bench;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Small helpers for the generator's main thread, which may block; event-loop code never calls them. */
final class Bench {
  private static final Pattern RSS = Pattern.compile("VmRSS:\\s+(\\d+) kB");

  private Bench() {
  }

  static <T> T await(Future<T> future) throws Exception {
    try {
      return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.MINUTES);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }

  /** Runs {@code action} on {@code context}, so that what it opens belongs to that event loop. */
  static <T> Future<T> onContext(Context context, Supplier<Future<T>> action) {
    Promise<T> result = Promise.promise();
    context.runOnContext(v -> action.get().onComplete(result));
    return result.future();
  }

  /** A process's resident set, VmRSS of {@code /proc/<pid>/status}. */
  static long residentBytes(long pid) throws IOException {
    Matcher rss = RSS.matcher(Files.readString(Path.of("/proc", Long.toString(pid), "status")));
    if (!rss.find()) {
      throw new IllegalStateException("no VmRSS for " + pid);
    }
    return Long.parseLong(rss.group(1)) * 1024;
  }

  static Future<Void> delay(Vertx vertx, double seconds) {
    Promise<Void> elapsed = Promise.promise();
    vertx.setTimer(Math.max(1, (long) (seconds * 1000)), t -> elapsed.complete());
    return elapsed.future();
  }
}
