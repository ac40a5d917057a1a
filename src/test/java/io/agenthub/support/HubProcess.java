package io.agenthub.support;

import io.vertx.core.json.JsonObject;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A hub in a JVM of its own, started like production ({@code io.agenthub.Main}, configuration from CONF_DIR) on this
 * JVM's classpath, so it can be killed with SIGKILL, stopped with SIGTERM and measured on its own. It runs in a folder
 * of its own holding {@code conf/} (the project's conf/hub.json plus {@code overrides.json}) and {@code hub.log}.
 */
public final class HubProcess implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private final String name;
  private final Process process;
  private final int port;
  private final Path log;

  private HubProcess(String name, Process process, int port, Path log) {
    this.name = name;
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /**
   * Starts a hub in {@code runDir} with these settings over conf/hub.json (PORT among them) and JVM options, and
   * returns once {@code /health/ready} answers 200.
   */
  public static HubProcess start(String name, Path runDir, JsonObject settings, List<String> jvmArgs)
      throws Exception {
    Path log = runDir.resolve("hub.log");
    int port = settings.getInteger("PORT");
    HubProcess hub = new HubProcess(name, launcher(runDir, settings, jvmArgs, log).start(), port, log);
    try {
      Await.until(name + " ready on port " + port + " (see " + log + ")", START_TIMEOUT, hub::isReady);
    } catch (AssertionError | Exception notReady) {
      hub.close();
      throw notReady;
    }
    return hub;
  }

  /** How a hub process ended that was expected to stop by itself: its exit status and everything it printed. */
  public record Exited(int status, String output) {
  }

  /** Starts a hub in {@code runDir} as {@link #start} does and waits for it to exit, e.g. refusing to start. */
  public static Exited runUntilExit(Path runDir, JsonObject settings) throws Exception {
    Path log = runDir.resolve("hub.log");
    Process process = launcher(runDir, settings, List.of("-XX:TieredStopAtLevel=1"), log).start();
    if (!process.waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("the hub did not exit within " + START_TIMEOUT + "; see " + log);
    }
    return new Exited(process.exitValue(), Files.readString(log));
  }

  private static ProcessBuilder launcher(Path runDir, JsonObject settings, List<String> jvmArgs, Path log)
      throws IOException {
    Path confDir = Files.createDirectories(runDir.resolve("conf"));
    Files.copy(Path.of("conf/hub.json"), confDir.resolve("hub.json"));
    // Files of the conf folder apply in name order, so the overrides sort after hub.json.
    Files.writeString(confDir.resolve("overrides.json"), settings.encodePrettily());
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    command.addAll(jvmArgs);
    command.addAll(List.of("-cp", absoluteClassPath(), "io.agenthub.Main", "hub"));
    ProcessBuilder builder = new ProcessBuilder(command).directory(runDir.toFile())
        .redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put("CONF_DIR", confDir.toAbsolutePath().toString());
    return builder;
  }

  /** A clustered hub on a free port, on the test's vhost, with quick reconnects, as the cluster tests need it. */
  public static HubProcess startClustered(String name, RabbitVhost vhost, int clusterPort, List<Integer> memberPorts,
      JsonObject overrides) throws Exception {
    int port = ClusterNodes.freePort();
    JsonObject settings = new JsonObject()
        .put("HOST", "127.0.0.1").put("PORT", port).put("RABBITMQ_HOST", "127.0.0.1")
        .put("RABBITMQ_VHOST", vhost.name())
        .put("RABBITMQ_RECONNECT_MIN_MS", 100).put("RABBITMQ_RECONNECT_MAX_MS", 1000)
        .mergeIn(overrides)
        .mergeIn(ClusterNodes.clusterSettings(clusterPort, memberPorts));
    Path runDir = Files.createDirectories(Path.of("target", "hub-processes", name + "-" + port));
    return start(name, runDir, settings, List.of("-Xmx256m", "-XX:TieredStopAtLevel=1"));
  }

  /** The hub runs in its own folder, so relative class path entries are resolved here. */
  private static String absoluteClassPath() {
    return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .map(entry -> Path.of(entry).toAbsolutePath().toString())
        .collect(Collectors.joining(File.pathSeparator));
  }

  private boolean isReady() throws Exception {
    if (!process.isAlive()) {
      throw new AssertionError(name + " exited with " + process.exitValue() + " before it was ready; see " + log);
    }
    try {
      return Http.get(port, "/health/ready").statusCode() == 200;
    } catch (IOException notListeningYet) {
      return false;
    }
  }

  public int port() {
    return port;
  }

  public String webSocketUrl() {
    return "ws://127.0.0.1:" + port + "/ws";
  }

  public long pid() {
    return process.pid();
  }

  /** SIGKILL: the instance vanishes without closing anything itself. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** SIGTERM, as an orchestrator stops a container: the shutdown hook runs; returns the exit code. */
  public int terminate() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(40, TimeUnit.SECONDS)) {
      throw new AssertionError(name + " did not exit within 40 s of SIGTERM; see " + log);
    }
    return process.exitValue();
  }

  public Path logFile() {
    return log;
  }

  /** The hub's log so far, for assertion messages. */
  public String log() throws IOException {
    return Files.readString(log);
  }

  /** Stops the hub as production would (SIGTERM), and kills it if it does not exit in time. */
  @Override
  public void close() throws InterruptedException {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      kill();
    }
  }
}
