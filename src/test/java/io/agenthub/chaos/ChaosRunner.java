package io.agenthub.chaos;

import io.agenthub.support.CommandOptions;
import io.agenthub.support.SourceCommit;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;

/**
 * The chaos suite: {@code scripts/chaos SCENARIO [--option value ...]}. Each scenario runs closed-loop frontends
 * through a real hub (child JVMs), real RabbitMQ and the reference companions, injects its fault, drains, and prints
 * one JSON line: sent / answered / explicit errors (by error_code) / silently lost / duplicated / false
 * FORWARD_FAILED / recovery time, with the targets and whether each was met. It uses loopback only, stops only what
 * it started (its own vhosts, hubs and, for the RabbitMQ restarts, a private RabbitMQ node), and writes only under
 * {@code target/chaos/}. Exit status 0 when every target was met, 1 otherwise, 64 on a usage error.
 */
public final class ChaosRunner {
  static final List<String> SCENARIOS = List.of("amqp-drop", "rabbit-restart", "rabbit-restart-resume", "kill9",
      "sigterm", "resume-in-flight", "stream-kill9-agent", "stream-kill9-frontend");
  /** Round trips must be back within this long of the fault's end (RabbitMQ answering again). */
  static final double RECOVERY_TARGET_MS = 1_000;

  private ChaosRunner() {
  }

  public static void main(String[] args) throws Exception {
    if (args.length == 0 || !SCENARIOS.contains(args[0])) {
      System.err.println("Usage: scripts/chaos " + String.join("|", SCENARIOS) + " [--option value ...]");
      System.exit(64);
    }
    JsonObject summary = run(args[0], new CommandOptions(Arrays.asList(args).subList(1, args.length)));
    System.out.println(summary.encode());
    // The companions' and RabbitMQ clients' threads must not keep the JVM alive.
    System.exit(summary.getBoolean("targets_met") ? 0 : 1);
  }

  /** Runs one scenario and returns its summary line, also appended to target/chaos/summary.jsonl. */
  static JsonObject run(String scenario, CommandOptions options) throws Exception {
    return run(scenario, options, null);
  }

  /** As {@link #run(String, CommandOptions)}; the RabbitMQ restarts use {@code sharedRabbit} if it is not null. */
  static JsonObject run(String scenario, CommandOptions options, PrivateRabbit sharedRabbit) throws Exception {
    String started = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    Path dir = Files.createDirectories(Path.of("target", "chaos", started.replace(':', '-') + "-" + scenario));
    JsonObject context = new JsonObject().put("scenario", scenario).put("date", started)
        .put("commit", SourceCommit.describe())
        .put("load_average_before", loadAverage())
        .put("options", new JsonObject().put("frontends", options.integer("frontends", 8))
            .put("agents", options.integer("agents", 2)).put("warmup_s", options.decimal("warmup", 3))
            .put("duration_s", options.decimal("duration", 20)).put("drain_s", options.decimal("drain", 10))
            .put("hub_settings", new JsonObject(options.string("hub-settings", "{}"))));
    JsonObject figures;
    try (ChaosRun run = new ChaosRun(dir, options)) {
      figures = switch (scenario) {
        case "amqp-drop" -> AmqpDropScenario.run(run);
        case "rabbit-restart" -> RabbitRestartScenario.run(run, false, sharedRabbit);
        case "rabbit-restart-resume" -> RabbitRestartScenario.run(run, true, sharedRabbit);
        case "kill9" -> InstanceLossScenario.run(run, true);
        case "sigterm" -> InstanceLossScenario.run(run, false);
        case "resume-in-flight" -> ResumeInFlightScenario.run(run);
        case "stream-kill9-agent" -> StreamChaosScenario.run(run, true);
        case "stream-kill9-frontend" -> StreamChaosScenario.run(run, false);
        default -> throw new IllegalArgumentException("unknown scenario " + scenario);
      };
    }
    JsonObject summary =
        context.mergeIn(figures).put("load_average_after", loadAverage()).put("run_dir", dir.toString());
    JsonObject targets = targets(summary);
    summary.put("targets", targets)
        .put("targets_met", targets.stream().allMatch(target -> Boolean.TRUE.equals(target.getValue())));
    Files.writeString(Path.of("target", "chaos", "summary.jsonl"), summary.encode() + "\n", StandardCharsets.UTF_8,
        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    return summary;
  }

  /** The targets, each true or false; a recovery that never happened misses its target. */
  static JsonObject targets(JsonObject summary) {
    if (summary.getString("scenario").startsWith("stream-")) {
      return new JsonObject()
          .put("no_lost_chunks", summary.getLong("lost_chunks") == 0)
          .put("no_repeated_chunks", summary.getLong("repeated_chunks") == 0)
          .put("every_stream_whole", summary.getLong("text_mismatches") == 0
              && summary.getLong("streams_unfinished") == 0 && summary.getLong("questions_without_stream") == 0);
    }
    JsonArray recovery = summary.getJsonArray("recovery_ms", new JsonArray());
    boolean recovered =
        recovery.stream().allMatch(ms -> ms instanceof Number n && n.doubleValue() <= RECOVERY_TARGET_MS);
    return new JsonObject()
        .put("no_silent_loss", summary.getLong("silently_lost") == 0)
        .put("no_duplicates", summary.getLong("duplicated") == 0)
        .put("no_false_forward_failed", summary.getLong("false_forward_failed") == 0)
        .put("recovery_within_1s", recovered);
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (Exception e) {
      return "unknown";
    }
  }
}
