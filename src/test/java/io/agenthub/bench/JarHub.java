package io.agenthub.bench;

import io.agenthub.support.Await;
import io.agenthub.support.Http;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The hub as README starts it: {@code java @conf/jvm.options -jar target/agent-hub.jar}, in a folder of its own whose
 * {@code conf/} holds the project's conf/hub.json and the bench's overrides (address, port, RabbitMQ vhost), logging
 * with the jar's own logback.xml to {@code hub.log}. It can be killed with SIGKILL, as a crashed instance or an
 * orchestrator's hard stop ends it, and another started on the same port.
 */
final class JarHub implements AutoCloseable {
  private static final Path JAR = Path.of("target", "agent-hub.jar");
  private static final String LISTENING = "Gateway listening on ";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

  private final Process process;
  private final int port;
  private final Path log;

  private JarHub(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /** Starts the jar in {@code dir} with {@code settings} (PORT among them) over conf/hub.json; does not wait. */
  static JarHub launch(Path dir, JsonObject settings, List<String> extraJvmOptions) throws IOException {
    if (!Files.isRegularFile(JAR)) {
      throw new IllegalStateException(JAR + " is missing: build it with scripts/jar (scripts/bench does)");
    }
    Path confDir = Files.createDirectories(dir.resolve("conf"));
    Files.copy(Path.of("conf", "hub.json"), confDir.resolve("hub.json"));
    // Files of the conf folder apply in name order, so the overrides sort after hub.json.
    Files.writeString(confDir.resolve("overrides.json"), settings.encodePrettily(), StandardCharsets.UTF_8);
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "@" + Path.of("conf", "jvm.options").toAbsolutePath()));
    command.addAll(extraJvmOptions);
    command.addAll(List.of("-jar", JAR.toAbsolutePath().toString()));
    Path log = dir.resolve("hub.log");
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
        .redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put("CONF_DIR", confDir.toAbsolutePath().toString());
    return new JarHub(builder.start(), settings.getInteger("PORT"), log);
  }

  /**
   * When the gateway started listening, by the time stamp of its start-up line in the hub's log: the moment from
   * which clients can be served again. Waits for the line; a hub that exits first fails.
   */
  Instant awaitListening() throws Exception {
    AtomicReference<Instant> listening = new AtomicReference<>();
    boolean listened = Await.atMost(System.nanoTime() + START_TIMEOUT.toNanos(), Duration.ofMillis(5), () -> {
      listeningLine().ifPresent(listening::set);
      if (listening.get() == null && !process.isAlive()) {
        throw new IllegalStateException("the hub exited with " + process.exitValue() + " before listening; see " + log);
      }
      return listening.get() != null;
    });
    if (!listened) {
      throw new IllegalStateException("the hub did not listen within " + START_TIMEOUT + "; see " + log);
    }
    return listening.get();
  }

  private Optional<Instant> listeningLine() throws IOException {
    if (!Files.exists(log)) {
      return Optional.empty();
    }
    try (var lines = Files.lines(log, StandardCharsets.UTF_8)) {
      return lines.filter(line -> line.contains(LISTENING)).findFirst()
          .map(line -> OffsetDateTime.parse(line.substring(0, line.indexOf(' '))).toInstant());
    }
  }

  long pid() {
    return process.pid();
  }

  Path log() {
    return log;
  }

  /** The hub's connection counts by role, as /health/ready reports them. */
  JsonObject connections() throws Exception {
    return Http.getJson(port, "/health/ready").getJsonObject("connections", new JsonObject());
  }

  /** SIGKILL: the instance vanishes without closing a socket or its AMQP connection. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** SIGTERM, as production stops it; killed if it does not exit in time. */
  @Override
  public void close() throws InterruptedException {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    if (!process.waitFor(40, TimeUnit.SECONDS)) {
      kill();
    }
  }
}
