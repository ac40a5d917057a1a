package io.agenthub.bench;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * CPU time used by the hub, the generator itself and RabbitMQ (from /proc, Linux only), so a summary can show who
 * spent the machine's two cores during a phase and what bounds it.
 */
final class CpuMeter {
  private static final double TICKS_PER_SECOND = 100;

  private final Map<String, Long> pids = new LinkedHashMap<>();
  private final Map<String, Long> startTicks = new LinkedHashMap<>();
  private long startNanos;

  CpuMeter(Long hubPid) {
    if (hubPid != null) {
      pids.put("hub", hubPid);
    }
    pids.put("generator", ProcessHandle.current().pid());
    rabbitPid().ifPresent(pid -> pids.put("rabbitmq", pid));
  }

  CpuMeter start() {
    startNanos = System.nanoTime();
    pids.forEach((name, pid) -> startTicks.put(name, ticks(pid)));
    return this;
  }

  /** Cores used by each process since {@link #start()}, e.g. 0.8 = 80 % of one core. */
  JsonObject coresUsed() {
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    JsonObject cores = new JsonObject();
    pids.forEach((name, pid) -> cores.put(name,
        Math.round((ticks(pid) - startTicks.get(name)) / TICKS_PER_SECOND / seconds * 100) / 100.0));
    return cores;
  }

  private static long ticks(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    } catch (IOException | RuntimeException unavailable) {
      return 0;
    }
  }

  /** The RabbitMQ node's Erlang VM: the beam.smp process running as user rabbitmq. */
  private static Optional<Long> rabbitPid() {
    try (Stream<ProcessHandle> processes = ProcessHandle.allProcesses()) {
      return processes.filter(p -> p.info().command().orElse("").endsWith("beam.smp"))
          .filter(p -> p.info().user().orElse("").equals("rabbitmq"))
          .filter(p -> p.info().arguments().map(args -> String.join(" ", args).contains("rabbit")).orElse(false))
          .max((a, b) -> Long.compare(cpu(a), cpu(b)))
          .map(ProcessHandle::pid);
    }
  }

  private static long cpu(ProcessHandle process) {
    return process.info().totalCpuDuration().map(java.time.Duration::toMillis).orElse(0L);
  }
}
