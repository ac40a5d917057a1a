package io.agenthub.bench;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * CPU time used by the hub, the generator itself, RabbitMQ and the whole machine (from /proc, Linux only), so a
 * summary can show who spent the machine's two cores during a phase, others' work included, and what bounds it.
 */
final class CpuMeter {
  private static final double TICKS_PER_SECOND = 100;

  private final Map<String, List<Long>> pids = new LinkedHashMap<>();
  private final Map<String, Long> startTicks = new LinkedHashMap<>();
  private long startNanos;
  private long[] startMachine;

  CpuMeter(Long hubPid) {
    this(hubPid == null ? List.of() : List.of(hubPid));
  }

  /** Several hubs (a cluster's instances): "hub" is their sum, "hub_1", "hub_2"... each one's. */
  CpuMeter(List<Long> hubPids) {
    if (!hubPids.isEmpty()) {
      pids.put("hub", hubPids);
    }
    if (hubPids.size() > 1) {
      for (int i = 0; i < hubPids.size(); i++) {
        pids.put("hub_" + (i + 1), List.of(hubPids.get(i)));
      }
    }
    pids.put("generator", List.of(ProcessHandle.current().pid()));
    rabbitPid().ifPresent(pid -> pids.put("rabbitmq", List.of(pid)));
  }

  CpuMeter start() {
    startNanos = System.nanoTime();
    pids.forEach((name, pid) -> startTicks.put(name, ticks(pid)));
    startMachine = machineTicks();
    return this;
  }

  /** Cores used by each process since {@link #start()}, e.g. 0.8 = 80 % of one core. */
  JsonObject coresUsed() {
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    JsonObject cores = new JsonObject();
    pids.forEach((name, pid) -> cores.put(name,
        Math.round((ticks(pid) - startTicks.get(name)) / TICKS_PER_SECOND / seconds * 100) / 100.0));
    long[] machine = machineTicks();
    double busy = (machine[0] - startMachine[0]) - (machine[1] - startMachine[1]);
    cores.put("whole_machine", Math.round(busy / TICKS_PER_SECOND / seconds * 100) / 100.0);
    return cores;
  }

  /** All CPU ticks and idle ticks of the machine (first line of /proc/stat): others' work shows up here too. */
  private static long[] machineTicks() {
    try {
      String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long total = 0;
      for (int i = 1; i < fields.length; i++) {
        total += Long.parseLong(fields[i]);
      }
      return new long[] {total, Long.parseLong(fields[4]) + Long.parseLong(fields[5])};
    } catch (IOException | RuntimeException unavailable) {
      return new long[] {0, 0};
    }
  }

  private static long ticks(List<Long> processes) {
    return processes.stream().mapToLong(CpuMeter::ticks).sum();
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
