package io.agenthub.setup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the image runs does not live in its configuration folder: users replace that folder with a mount of their own
 * (which need not hold JVM options), so the entrypoint's JVM options and the health check sit beside the jar.
 * {@code DockerImageCommandsTest} runs both commands against a locally built jar.
 */
class DockerfileTest {
  private static Dockerfile image;
  private static String confDir;

  @BeforeAll
  static void readDockerfile() throws Exception {
    image = Dockerfile.read(Path.of("Dockerfile"));
    confDir = image.environment().get("CONF_DIR");
    assertTrue(confDir != null && confDir.startsWith("/"), "the image sets CONF_DIR: " + image.environment());
  }

  @Test
  void theEntrypointReadsTheJvmOptionsFromACopyOfConfJvmOptionsOutsideTheConfigurationFolder() {
    List<String> argumentFiles = image.entrypoint().stream().filter(word -> word.startsWith("@"))
        .map(word -> word.substring(1)).toList();
    assertEquals(1, argumentFiles.size(), "one JVM options file in " + image.entrypoint());
    String jvmOptions = argumentFiles.get(0);
    assertFalse(jvmOptions.startsWith(confDir + "/"), jvmOptions + " is in the configuration folder " + confDir);
    assertTrue(image.copies().contains(new Dockerfile.Copy(null, "conf/jvm.options", jvmOptions)),
        "the image copies conf/jvm.options to " + jvmOptions + ": " + image.copies());
  }

  @Test
  void neitherTheEntrypointNorTheHealthCheckNamesAFileOfTheConfigurationFolder() {
    assertFalse(image.healthCheck().isEmpty(), "the image has a health check in exec form");
    Stream.concat(image.entrypoint().stream(), image.healthCheck().stream()).forEach(word ->
        assertFalse(word.replaceFirst("^@", "").startsWith(confDir), word + " lies in " + confDir));
  }

  @Test
  void theHealthCheckRunsTheScriptOfTheDockerFolder() {
    String script = image.copies().stream().filter(copy -> copy.source().equals("docker/healthcheck"))
        .map(Dockerfile.Copy::destination).findFirst().orElseThrow();
    assertTrue(image.healthCheck().contains(script), image.healthCheck() + " runs " + script);
  }

  @Test
  void everyFileOfConfButTheJvmOptionsIsCopiedIntoTheConfigurationFolder() throws Exception {
    try (Stream<Path> files = Files.list(Path.of("conf"))) {
      files.map(file -> file.getFileName().toString()).filter(name -> !name.equals("jvm.options")).forEach(name ->
          assertTrue(image.copies().contains(new Dockerfile.Copy(null, "conf/" + name, confDir + "/" + name)),
              "the image copies conf/" + name + " to " + confDir + ": " + image.copies()));
    }
  }
}
