package io.agenthub.support;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A hub in a JVM of its own, started like production ({@code io.agenthub.Main}, configuration from CONF_DIR and the
 * environment) on this test's classpath, so it can be killed with SIGKILL or stopped with SIGTERM. Its output goes to
 * {@code target/hub-processes/<name>.log}.
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

  /** Starts a clustered hub on a free port and returns once {@code /health/ready} answers 200. */
  public static HubProcess startClustered(String name, RabbitVhost vhost, int clusterPort, List<Integer> memberPorts,
      JsonObject overrides) throws Exception {
    int port = ClusterNodes.freePort();
    Path confDir = Files.createTempDirectory("agent-hub-conf");
    Files.copy(Path.of("conf/hub.json"), confDir.resolve("hub.json"));
    Files.writeString(confDir.resolve("test.json"), new JsonObject()
        .put("HOST", "127.0.0.1").put("RABBITMQ_HOST", "127.0.0.1")
        .put("RABBITMQ_RECONNECT_MIN_MS", 100).put("RABBITMQ_RECONNECT_MAX_MS", 1000)
        .mergeIn(overrides).encodePrettily());
    Path log = Files.createDirectories(Path.of("target", "hub-processes")).resolve(name + ".log");
    ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), "io.agenthub.Main")
        .redirectErrorStream(true)
        .redirectOutput(log.toFile());
    builder.environment().put("CONF_DIR", confDir.toString());
    builder.environment().put("PORT", String.valueOf(port));
    builder.environment().put("RABBITMQ_VHOST", vhost.name());
    ClusterNodes.clusterSettings(clusterPort, memberPorts)
        .forEach(setting -> builder.environment().put(setting.getKey(), String.valueOf(setting.getValue())));
    HubProcess hub = new HubProcess(name, builder.start(), port, log);
    try {
      Await.until(name + " ready on port " + port + " (see " + log + ")", START_TIMEOUT, hub::isReady);
    } catch (AssertionError | Exception e) {
      hub.close();
      throw e;
    }
    return hub;
  }

  private boolean isReady() throws Exception {
    if (!process.isAlive()) {
      throw new AssertionError(name + " exited with " + process.exitValue() + " before it was ready; see " + log);
    }
    try {
      return Http.get(port, "/health/ready").statusCode() == 200;
    } catch (java.io.IOException notListeningYet) {
      return false;
    }
  }

  public int port() {
    return port;
  }

  public long pid() {
    return process.pid();
  }

  public Process process() {
    return process;
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

  /** The hub's log so far, for assertion messages. */
  public String log() throws java.io.IOException {
    return Files.readString(log);
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }
}
