package io.agenthub.setup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agenthub.support.Await;
import io.agenthub.support.ClusterNodes;
import io.agenthub.support.Http;
import io.agenthub.support.Integration;
import io.agenthub.support.RabbitVhost;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image's two commands, run without a Docker engine: the Dockerfile's entrypoint and environment against the
 * locally built jar, in a folder laid out as the image's {@code /} by its COPY instructions, with the configuration
 * folder replaced by a mount that has no JVM options; and its health check against that hub, with TLS off and on
 * (set in the mounted folder, where the check cannot see it), and after the hub stopped.
 */
@Integration
class DockerImageCommandsTest {
  private static final Path JAR = Path.of("target/agent-hub.jar").toAbsolutePath();
  private static final Path CERT = Path.of("src/test/resources/tls/cert.pem").toAbsolutePath();
  private static final Path KEY = Path.of("src/test/resources/tls/key.pem").toAbsolutePath();
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private static Dockerfile image;
  private static RabbitVhost vhost;

  @TempDir
  Path root;

  @BeforeAll
  static void readImage() throws Exception {
    assertTrue(Files.isRegularFile(JAR), JAR + " is built by `./mvnw verify` (package) or scripts/jar");
    image = Dockerfile.read(Path.of("Dockerfile"));
    vhost = RabbitVhost.create("docker-image");
  }

  @AfterAll
  static void deleteVhost() throws Exception {
    vhost.close();
  }

  @Test
  void theEntrypointRunsWithAMountedConfFolderWithoutJvmOptionsAndTheHealthCheckFollowsTheHub() throws Exception {
    int port = ClusterNodes.freePort();
    Process hub = startAsTheImageDoes(settings(port));
    try {
      awaitHealthy(hub, port);
      String flags = run(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
          Long.toString(hub.pid()), "VM.flags"));
      assertTrue(flags.contains("-XX:+UseSerialGC"), "the JVM read conf/jvm.options' copy: " + flags);
      assertTrue(flags.contains("-XX:MaxRAMPercentage=75"), "the JVM read JAVA_TOOL_OPTIONS: " + flags);
    } finally {
      stop(hub);
    }
    assertNotEquals(0, healthCheck(port), "the health check fails once the hub has stopped");
  }

  @Test
  void theHealthCheckSpeaksHttpsWhenTlsIsOn() throws Exception {
    int port = ClusterNodes.freePort();
    Process hub = startAsTheImageDoes(settings(port)
        .put("TLS_CERT_FILE", CERT.toString()).put("TLS_KEY_FILE", KEY.toString()));
    try {
      awaitHealthy(hub, port);
      assertThrows(IOException.class, () -> Http.get(port, "/health/ready"), "the hub speaks only TLS on " + port);
    } finally {
      stop(hub);
    }
  }

  private static JsonObject settings(int port) {
    return new JsonObject().put("HOST", "127.0.0.1").put("PORT", port)
        .put("RABBITMQ_HOST", "127.0.0.1").put("RABBITMQ_VHOST", vhost.name());
  }

  /**
   * Lays out the image's files under {@link #root} (the jar of the build stage is this build's), replaces the
   * configuration folder with one holding only {@code hub.json}, and starts the entrypoint there with the image's
   * environment and nothing else of this JVM's.
   */
  private Process startAsTheImageDoes(JsonObject mountedSettings) throws Exception {
    for (Dockerfile.Copy copy : image.copies()) {
      Path destination = inImage(copy.destination());
      Files.createDirectories(destination.getParent());
      if (copy.stage() != null) {
        assertEquals("/src/target/agent-hub.jar", copy.source(), "the build stage gives only the jar");
        Files.createSymbolicLink(destination, JAR);
      } else {
        Files.copy(Path.of(copy.source()), destination);
      }
    }
    Path confDir = inImage(image.environment().get("CONF_DIR"));
    deleteRecursively(confDir);
    Files.createDirectories(confDir);
    Files.writeString(confDir.resolve("hub.json"), mountedSettings.encodePrettily());

    List<String> command = new ArrayList<>();
    for (String word : image.entrypoint()) {
      command.add(word.equals("java") ? Path.of(System.getProperty("java.home"), "bin", "java").toString()
          : word.startsWith("@") ? "@" + inImage(word.substring(1)) : word.startsWith("/") ? inImage(word).toString()
          : word);
    }
    ProcessBuilder builder = new ProcessBuilder(command).directory(inImage("/app").toFile())
        .redirectErrorStream(true).redirectOutput(root.resolve("hub.log").toFile());
    builder.environment().clear();
    builder.environment().put("PATH", System.getenv("PATH"));
    image.environment().forEach((key, value) ->
        builder.environment().put(key, value.startsWith("/") ? inImage(value).toString() : value));
    return builder.start();
  }

  private Path inImage(String absolutePath) {
    return root.resolve(absolutePath.substring(1));
  }

  private void awaitHealthy(Process hub, int port) throws Exception {
    boolean healthy = Await.atMost(System.nanoTime() + START_TIMEOUT.toNanos(), Duration.ofMillis(200), () -> {
      if (!hub.isAlive()) {
        throw new AssertionError("the hub exited with " + hub.exitValue() + ": " + log());
      }
      return healthCheck(port) == 0;
    });
    assertTrue(healthy, "the health check did not pass within " + START_TIMEOUT + "; hub log: " + log());
  }

  /** The image's HEALTHCHECK command, its script from this tree, with the port the hub was given. */
  private int healthCheck(int port) throws Exception {
    List<String> command = image.healthCheck().stream()
        .map(word -> word.startsWith("/") ? inImage(word).toString() : word).toList();
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(root.resolve("healthcheck.log").toFile()));
    builder.environment().put("PORT", Integer.toString(port));
    Process check = builder.start();
    check.getOutputStream().close();
    if (!check.waitFor(10, TimeUnit.SECONDS)) {
      check.destroyForcibly();
      return -1;
    }
    return check.exitValue();
  }

  private static String run(List<String> command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(30, TimeUnit.SECONDS), String.join(" ", command) + " did not finish");
    assertEquals(0, process.exitValue(), String.join(" ", command) + ": " + output);
    return output;
  }

  private void stop(Process hub) throws InterruptedException {
    hub.destroy();
    if (!hub.waitFor(30, TimeUnit.SECONDS)) {
      hub.destroyForcibly().waitFor();
    }
  }

  private String log() throws IOException {
    return Files.readString(root.resolve("hub.log"));
  }

  private static void deleteRecursively(Path folder) throws IOException {
    try (Stream<Path> paths = Files.walk(folder)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
