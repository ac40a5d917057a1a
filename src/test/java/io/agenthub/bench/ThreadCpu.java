package io.agenthub.bench;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU time of one JVM split by what its threads do (Linux only, from {@code /proc/<pid>/task}): the event loops, the
 * garbage collector (the Serial collector runs in the VM thread), the JIT compilers, and the rest. A process's CPU
 * time alone cannot say whether a registration got dearer because of the hub's code or because the collector copied
 * more; this can. Threads that end between two snapshots are missed, which the JVM's long-lived threads never do.
 */
final class ThreadCpu {
  private static final double TICKS_PER_MS = 0.1;

  private final List<Long> pids;
  private final Map<String, Long> start;

  private ThreadCpu(List<Long> pids) {
    this.pids = pids;
    this.start = snapshot(pids);
  }

  static ThreadCpu start(long pid) {
    return new ThreadCpu(List.of(pid));
  }

  /** The threads of several processes (a cluster's instances), summed by group. */
  static ThreadCpu start(List<Long> pids) {
    return new ThreadCpu(List.copyOf(pids));
  }

  /**
   * Milliseconds of CPU by group since {@link #start}, and their total, each divided by {@code per} (e.g. per
   * registration).
   */
  JsonObject millisPer(long per) {
    Map<String, Long> now = snapshot(pids);
    JsonObject millis = new JsonObject();
    long total = 0;
    for (String group : new String[] {"event_loops", "gc", "jit", "other"}) {
      long ticks = now.getOrDefault(group, 0L) - start.getOrDefault(group, 0L);
      total += ticks;
      millis.put(group, perOne(ticks, per));
    }
    return millis.put("total", perOne(total, per));
  }

  private static double perOne(long ticks, long per) {
    return Math.round(ticks / TICKS_PER_MS / Math.max(1, per) * 1000) / 1000.0;
  }

  private static Map<String, Long> snapshot(List<Long> pids) {
    Map<String, Long> ticks = new LinkedHashMap<>();
    pids.forEach(pid -> snapshot(pid).forEach((group, used) -> ticks.merge(group, used, Long::sum)));
    return ticks;
  }

  private static Map<String, Long> snapshot(long pid) {
    Map<String, Long> ticks = new LinkedHashMap<>();
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
      for (Path task : tasks) {
        try {
          String stat = Files.readString(task.resolve("stat"));
          String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
          String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          ticks.merge(group(name), Long.parseLong(fields[11]) + Long.parseLong(fields[12]), Long::sum);
        } catch (IOException | RuntimeException threadEnded) {
          // A thread that ended while the folder was read has nothing left to count.
        }
      }
    } catch (IOException noSuchProcess) {
      return ticks;
    }
    return ticks;
  }

  /** Thread names as the kernel keeps them: the first 15 characters. */
  private static String group(String threadName) {
    if (threadName.startsWith("vert.x-eventloo")) {
      return "event_loops";
    }
    if (threadName.equals("VM Thread") || threadName.startsWith("GC Thread") || threadName.startsWith("G1 ")) {
      return "gc";
    }
    if (threadName.contains("CompilerThre")) {
      return "jit";
    }
    return "other";
  }
}
