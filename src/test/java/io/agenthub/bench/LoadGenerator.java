package io.agenthub.bench;

import io.agenthub.support.CommandOptions;
import io.agenthub.support.SourceCommit;
import io.agenthub.support.RabbitVhost;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * The load generator: {@code scripts/bench SCENARIO[,SCENARIO...] [--option value ...]}, scenarios
 * {@code legacy} and {@code round-trip} (each also runs its amqp-floor and reports the ratio), {@code amqp-floor},
 * {@code connections}, {@code handshake-floor}, {@code fan-out-floor}, {@code presence-churn},
 * {@code reconnect-storm}, {@code agent-routing} (random against load-aware routing), {@code streams} (streamed
 * replies, with their plain Vert.x floor), {@code streams-cluster} (the same through two clustered hubs). It starts
 * the hub as a child JVM on a RabbitMQ vhost of its own (deleted afterwards) and prints one JSON summary line per
 * run on stdout; everything it writes goes under {@code target/bench/}. Every hub runs the default configuration but
 * round-trip's, which has no monitoring copies, so a run that mixes them starts a second hub (one at a time, each on
 * its own vhost); reconnect-storm starts its own, from the jar, streams-cluster its two.
 */
public final class LoadGenerator {
  private static final List<String> SCENARIOS = List.of("legacy", "round-trip", "amqp-floor", "connections",
      "handshake-floor", "fan-out-floor", "presence-churn", "reconnect-storm", "agent-routing", "streams",
      "streams-cluster");

  private LoadGenerator() {
  }

  public static void main(String[] args) throws Exception {
    if (args.length == 0 || !SCENARIOS.containsAll(Arrays.asList(args[0].split(",")))) {
      System.err.println("Usage: scripts/bench " + String.join("|", SCENARIOS) + "[,...] [--option value ...]");
      System.exit(64);
    }
    List<JsonObject> summaries = run(Arrays.asList(args[0].split(",")),
        new CommandOptions(Arrays.asList(args).subList(1, args.length)), line -> System.out.println(line.encode()));
    boolean ok = summaries.stream().allMatch(summary -> summary.getBoolean("ok", false));
    System.exit(ok ? 0 : 1);
  }

  /** Runs the scenarios in order, each summary handed to {@code report} as soon as it is known. */
  public static List<JsonObject> run(List<String> scenarios, CommandOptions options, Consumer<JsonObject> report)
      throws Exception {
    String started = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    Path runDir = Files.createDirectories(Path.of("target", "bench",
        started.replace(':', '-') + "-" + String.join("+", scenarios)));
    JsonObject context = new JsonObject()
        .put("date", started)
        .put("commit", SourceCommit.describe())
        .put("machine", Runtime.getRuntime().availableProcessors() + " cores, "
            + (Runtime.getRuntime().maxMemory() >> 20) + " MiB max heap in the generator, "
            + System.getProperty("os.name") + " " + System.getProperty("os.version")
            + ", Java " + System.getProperty("java.version"));
    List<JsonObject> summaries = new ArrayList<>();
    Consumer<JsonObject> collect = summary -> {
      JsonObject line = context.copy().put("load_average", loadAverage()).mergeIn(summary);
      line.put("ok", line.getLong("errors", 0L) == 0 && line.getLong("timeouts", 0L) == 0
          && line.getLong("hub_blocked_warnings", 0L) == 0 && line.getBoolean("all_online", true));
      summaries.add(line);
      report.accept(line);
    };
    Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(false));
    try (RabbitVhost floorVhost = RabbitVhost.create("bench-floor");
         Hubs hubs = new Hubs(runDir, options)) {
      for (String scenario : scenarios) {
        switch (scenario) {
          case "legacy" -> runRoundTrip(vertx, hubs.withMonitoring(true), floorVhost, options, true, collect);
          case "round-trip" -> runRoundTrip(vertx, hubs.withMonitoring(false), floorVhost, options, false, collect);
          case "amqp-floor" -> runRoundTrip(vertx, null, floorVhost, options, false, collect);
          case "connections" -> collect.accept(withHubChecks(hubs.withMonitoring(true).hub(), new JsonObject()
              .put("scenario", scenario)
              .mergeIn(new ConnectionsScenario(vertx, options).run(hubs.withMonitoring(true).hub()))));
          case "handshake-floor" -> collect.accept(new JsonObject().put("scenario", scenario)
              .mergeIn(new HandshakeFloorScenario(vertx, options).run(runDir.resolve("handshake-floor"))));
          case "fan-out-floor" -> new FanOutFloorScenario(vertx, options).run(runDir.resolve("fan-out-floor"), collect);
          case "presence-churn" -> collect.accept(withHubChecks(hubs.withMonitoring(true).hub(),
              new JsonObject().put("scenario", scenario).mergeIn(new PresenceChurnScenario(vertx, options)
                  .run(hubs.withMonitoring(true).hub().webSocketUrl()))));
          case "reconnect-storm" -> {
            hubs.close();
            collect.accept(new JsonObject().put("scenario", scenario)
                .mergeIn(new ReconnectStormScenario(vertx, options).run(runDir.resolve("reconnect-storm"))));
          }
          case "agent-routing" -> {
            HubOnVhost routed = hubs.withMonitoring(true);
            new AgentRoutingScenario(vertx, options).run(routed.hub().webSocketUrl(), routed.vhost().name(),
                line -> collect.accept(withRoutingHubChecks(routed.hub(), line)));
          }
          case "streams" -> {
            HubOnVhost streamed = hubs.withMonitoring(true);
            new StreamsScenario(vertx, options).run(streamed, runDir.resolve("streams-floor"),
                line -> collect.accept(line.getString("scenario").equals("streams")
                    ? withRoutingHubChecks(streamed.hub(), line) : line));
          }
          case "streams-cluster" -> {
            hubs.close();
            try (ClusteredBenchHubs cluster = ClusteredBenchHubs.start(runDir.resolve("cluster"), 2,
                hubSettings(options, true), hubJvm(options))) {
              new StreamsScenario(vertx, options).runCluster(cluster.instances(), cluster.vhost(),
                  line -> collect.accept(withClusterChecks(cluster.instances(), line)));
            }
          }
          default -> throw new IllegalArgumentException("unknown scenario " + scenario);
        }
      }
      // Before the vhosts go: the companions' RabbitMQ clients would otherwise try to reconnect to them.
      Bench.await(vertx.close());
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().join();
      Files.writeString(runDir.resolve("summary.jsonl"), String.join("\n",
          summaries.stream().map(JsonObject::encode).toList()) + "\n", StandardCharsets.UTF_8);
    }
    return summaries;
  }

  /** A hub started on a fresh vhost, with or without monitoring copies. */
  record HubOnVhost(BenchHub hub, RabbitVhost vhost, boolean monitoring) implements AutoCloseable {
    @Override
    public void close() throws Exception {
      try (RabbitVhost closing = vhost) {
        hub.close();
      }
    }
  }

  /** The hub of the current scenario: kept while scenarios need the same kind, replaced when the next needs other. */
  private static final class Hubs implements AutoCloseable {
    private final Path runDir;
    private final CommandOptions options;
    private HubOnVhost current;

    Hubs(Path runDir, CommandOptions options) {
      this.runDir = runDir;
      this.options = options;
    }

    HubOnVhost withMonitoring(boolean monitoring) throws Exception {
      if (current != null && current.monitoring() == monitoring) {
        return current;
      }
      close();
      RabbitVhost vhost = RabbitVhost.create("bench-hub");
      try {
        current = new HubOnVhost(startHub(folderFor(monitoring), vhost.name(), options, monitoring), vhost,
            monitoring);
      } catch (Exception e) {
        vhost.close();
        throw e;
      }
      return current;
    }

    /** {@code hub/} or {@code hub-pass-through/}, numbered from the second hub of a kind a run starts. */
    private Path folderFor(boolean monitoring) {
      String name = monitoring ? "hub" : "hub-pass-through";
      Path folder = runDir.resolve(name);
      for (int n = 2; Files.exists(folder); n++) {
        folder = runDir.resolve(name + "-" + n);
      }
      return folder;
    }

    @Override
    public void close() throws Exception {
      if (current != null) {
        HubOnVhost closing = current;
        current = null;
        closing.close();
      }
    }
  }

  private static BenchHub startHub(Path runDir, String vhost, CommandOptions options, boolean monitoring)
      throws Exception {
    return BenchHub.start(Files.createDirectories(runDir), vhost, hubSettings(options, monitoring), hubJvm(options));
  }

  private static JsonObject hubSettings(CommandOptions options, boolean monitoring) {
    // The default configuration, as a user gets it: the flood and registration limits included. Only round-trip,
    // which measures the pass-through alone, turns the monitoring copies off (frontends then get only what is
    // addressed to them; with them, the default, every frontend sees every message).
    JsonObject settings = new JsonObject();
    if (!monitoring) {
      settings.put("MONITOR_ALL_TRAFFIC", false);
    }
    return settings.mergeIn(new JsonObject(options.string("hub-settings", "{}")));
  }

  private static List<String> hubJvm(CommandOptions options) {
    // Started as scripts/run and the Docker image start it: the launcher's JVM options first, --hub-jvm after them.
    List<String> jvm = new ArrayList<>();
    if (options.flag("launcher-jvm", true)) {
      jvm.add("@" + Path.of("conf", "jvm.options").toAbsolutePath());
    }
    String extra = options.string("hub-jvm", "");
    if (!extra.isBlank()) {
      jvm.addAll(Arrays.asList(extra.trim().split("\\s+")));
    }
    return jvm;
  }

  private static void runRoundTrip(Vertx vertx, HubOnVhost hubOnVhost, RabbitVhost floorVhost,
      CommandOptions options, boolean legacy, Consumer<JsonObject> report) throws Exception {
    BenchHub hub = hubOnVhost == null ? null : hubOnVhost.hub();
    RoundTripScenario scenario = new RoundTripScenario(vertx, options, hub == null ? null : hub.pid(), legacy);
    String name = legacy ? "legacy" : "round-trip";
    String floorName = legacy ? "legacy-amqp-floor" : "amqp-floor";
    List<Integer> frontendCounts = options.integers("frontends", "8,32");
    try (RoundTripScenario.Floor floor = scenario.new Floor(floorVhost.name());
         RoundTripScenario.ThroughHub viaHub = hub == null ? null
             : scenario.new ThroughHub(hub.webSocketUrl(), hubOnVhost.vhost().name())) {
      // Unmeasured: the hub is a fresh JVM, and on two shared cores C2 is still compiling for the first seconds.
      double jitWarmup = options.decimal("jit-warmup", 30);
      if (jitWarmup > 0) {
        scenario.warmUp(floor, viaHub, frontendCounts.get(0), jitWarmup);
      }
      for (int frontends : frontendCounts) {
        RoundTripResult floorResult = floor.run(frontends);
        JsonObject floorLine = scenario.describe(floorName, frontends).mergeIn(floorResult.toJson());
        report.accept(floorLine);
        if (viaHub != null) {
          RoundTripResult hubResult = viaHub.run(frontends);
          JsonObject line = scenario.describe(name, frontends).mergeIn(hubResult.toJson())
              .put("ratio_to_amqp_floor", new JsonObject()
                  .put("throughput", ratio(hubResult.perSecond(), floorResult.perSecond()))
                  .put("p99", ratio(hubResult.p99Millis(), floorResult.p99Millis())));
          report.accept(withHubChecks(hub, line));
        }
      }
    }
  }

  /** The machine's load averages over 1, 5 and 15 minutes when the line is written: other work on the box. */
  private static String loadAverage() {
    try {
      String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return String.join(" ", fields[0], fields[1], fields[2]);
    } catch (IOException | RuntimeException unavailable) {
      return "unknown";
    }
  }

  private static double ratio(double value, double floor) {
    return floor == 0 ? 0 : Math.round(value / floor * 1000) / 1000.0;
  }

  private static JsonObject withRoutingHubChecks(BenchHub hub, JsonObject summary) {
    try {
      return withHubChecks(hub, summary);
    } catch (Exception e) {
      throw new IllegalStateException("could not read the hub's log", e);
    }
  }

  /** The instances' blocked-thread warnings summed, and their logs. */
  private static JsonObject withClusterChecks(List<BenchHub> instances, JsonObject summary) {
    try {
      long blocked = 0;
      List<String> logs = new ArrayList<>();
      for (BenchHub instance : instances) {
        blocked += instance.blockedThreadWarnings();
        logs.add(instance.log().toString());
      }
      return summary.put("hub_blocked_warnings", blocked).put("hub_logs", new io.vertx.core.json.JsonArray(logs));
    } catch (IOException e) {
      throw new IllegalStateException("could not read the hubs' logs", e);
    }
  }

  private static JsonObject withHubChecks(BenchHub hub, JsonObject summary) throws Exception {
    return summary.put("hub_blocked_warnings", hub.blockedThreadWarnings()).put("hub_log", hub.log().toString());
  }
}
