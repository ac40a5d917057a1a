package io.agenthub.bench;

/** The measured part of a run: events before {@code start} are warm-up, and nothing new starts after {@code end}. */
record RunWindow(long startNanos, long endNanos) {

  static RunWindow after(double warmupSeconds, double durationSeconds) {
    long start = System.nanoTime() + (long) (warmupSeconds * 1e9);
    return new RunWindow(start, start + (long) (durationSeconds * 1e9));
  }

  boolean measures(long nanos) {
    return nanos >= startNanos && nanos < endNanos;
  }

  boolean isOver(long nanos) {
    return nanos >= endNanos;
  }

  double seconds() {
    return (endNanos - startNanos) / 1e9;
  }
}
