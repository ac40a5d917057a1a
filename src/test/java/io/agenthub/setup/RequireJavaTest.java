package io.agenthub.setup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/require-java, which scripts/run, scripts/test and scripts/fuzz ask for their java: JAVA_HOME's when set,
 * else PATH's, refused below Java 17 with a message naming what was found and how to fix it. The JDKs here are
 * stand-ins that print what {@code java -XshowSettings:properties -version} prints, so no JVM starts.
 */
class RequireJavaTest {
  @TempDir
  Path dir;

  private record Result(int status, String stdout, String stderr) {
  }

  @Test
  void javaHomesJavaIsTakenWhenItIs17OrNewer() throws Exception {
    Path jdk = fakeJdk("jdk21", "21", true);
    Result result = requireJava(Map.of("JAVA_HOME", jdk.toString()), "--jdk");
    assertEquals(0, result.status(), result.stderr());
    assertEquals(jdk.resolve("bin/java").toString(), result.stdout().strip());
  }

  @Test
  void pathsJavaIsTakenWithoutJavaHome() throws Exception {
    Path jdk = fakeJdk("jdk17", "17", true);
    Result result = requireJava(Map.of("PATH", jdk.resolve("bin") + ":/usr/bin:/bin"));
    assertEquals(0, result.status(), result.stderr());
    assertEquals(jdk.resolve("bin/java").toString(), result.stdout().strip());
  }

  @Test
  void anOlderJavaIsRefusedNamingItsVersionAndTheFix() throws Exception {
    Path jdk = fakeJdk("jdk11", "11", true);
    Result result = requireJava(Map.of("JAVA_HOME", jdk.toString()));
    assertEquals(1, result.status());
    assertTrue(result.stderr().contains("needs Java 17 or newer, but " + jdk.resolve("bin/java") + " (from JAVA_HOME="
        + jdk + ") is Java 11"), result.stderr());
    assertTrue(result.stderr().contains("export JAVA_HOME="), result.stderr());
  }

  @Test
  void java8IsReadFromItsOldVersionScheme() throws Exception {
    Result result = requireJava(Map.of("JAVA_HOME", fakeJdk("jdk8", "1.8", true).toString()));
    assertEquals(1, result.status());
    assertTrue(result.stderr().contains("is Java 1.8"), result.stderr());
  }

  @Test
  void aJavaHomeWithoutJavaIsNamed() throws Exception {
    Result result = requireJava(Map.of("JAVA_HOME", dir.resolve("nowhere").toString()));
    assertEquals(1, result.status());
    assertTrue(result.stderr().contains("there is no java at " + dir.resolve("nowhere/bin/java")), result.stderr());
  }

  @Test
  void buildingRefusesARuntimeWithoutJavac() throws Exception {
    Path jre = fakeJdk("jre17", "17", false);
    assertEquals(0, requireJava(Map.of("JAVA_HOME", jre.toString())).status());
    Result result = requireJava(Map.of("JAVA_HOME", jre.toString()), "--jdk");
    assertEquals(1, result.status());
    assertTrue(result.stderr().contains("needs a JDK"), result.stderr());
  }

  private Path fakeJdk(String name, String specificationVersion, boolean withJavac) throws Exception {
    Path bin = Files.createDirectories(dir.resolve(name).resolve("bin"));
    executable(bin.resolve("java"), "#!/bin/sh\n"
        + "echo 'Property settings:' >&2\n"
        + "echo '    java.specification.version = " + specificationVersion + "' >&2\n"
        + "echo '    java.vendor = Stand-in' >&2\n");
    if (withJavac) {
      executable(bin.resolve("javac"), "#!/bin/sh\n");
    }
    return bin.getParent();
  }

  private static void executable(Path file, String content) throws Exception {
    Files.writeString(file, content);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  private static Result requireJava(Map<String, String> environment, String... arguments) throws Exception {
    ProcessBuilder builder = new ProcessBuilder("bash", Path.of("scripts/require-java").toAbsolutePath().toString());
    builder.command().addAll(List.of(arguments));
    builder.environment().remove("JAVA_HOME");
    builder.environment().putAll(environment);
    Process process = builder.start();
    process.getOutputStream().close();
    String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(10, TimeUnit.SECONDS), "scripts/require-java did not finish");
    return new Result(process.exitValue(), stdout, stderr);
  }
}
