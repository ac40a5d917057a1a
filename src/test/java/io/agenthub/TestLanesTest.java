package io.agenthub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The fast lane ({@code ./mvnw test}) needs no RabbitMQ, no browser and no child JVM: every test class that starts a
 * whole hub, a RabbitMQ vhost, a cluster, a browser, a chaos run or a benchmark carries one of the lane annotations
 * of {@code io.agenthub.support} (itself or the abstract class it extends), which keeps it in {@code ./mvnw verify}.
 */
class TestLanesTest {
  /** What needs a broker, a browser or another JVM. */
  private static final Pattern HEAVY = Pattern.compile(
      "\\b(TestHub|HubExtension|RabbitVhost|HubProcess|ClusterNodes|PrivateRabbit|Browser|ChaosRunner|LoadGenerator"
          + "|BenchHub)\\b");
  private static final Pattern LANE =
      Pattern.compile("^@(Integration|ClusterTest|ChaosTest|BrowserTest|BenchSmokeTest)\\b", Pattern.MULTILINE);
  private static final Pattern EXTENDS = Pattern.compile("\\bclass\\s+\\w+\\s+extends\\s+(\\w+)");
  private static final Pattern TEST_METHOD = Pattern.compile("@(Test|ParameterizedTest|RepeatedTest|TestFactory)\\b");

  /** Simple class name → code without comments and string literals. */
  private static final Map<String, String> TESTS = new TreeMap<>();

  @BeforeAll
  static void readTestSources() throws IOException {
    Path base = Path.of("src/test/java");
    try (Stream<Path> files = Files.walk(base)) {
      files.filter(f -> f.toString().endsWith("Test.java")).forEach(file -> TESTS.put(
          file.getFileName().toString().replace(".java", ""), ArchitectureTest.strip(read(file), false)));
    }
    assertFalse(TESTS.isEmpty(), "no tests under " + base.toAbsolutePath());
  }

  @Test
  void everyTestThatNeedsABrokerABrowserOrAnotherJvmIsOutOfTheFastLane() {
    List<String> untagged = new ArrayList<>();
    TESTS.forEach((name, code) -> {
      Matcher heavy = HEAVY.matcher(code);
      if (TEST_METHOD.matcher(code).find() && heavy.find() && !inALane(name)) {
        untagged.add(name + " uses " + heavy.group() + " but has no lane annotation");
      }
    });
    assertEquals(List.of(), untagged);
  }

  private static boolean inALane(String name) {
    String code = TESTS.get(name);
    if (code == null) {
      return false;
    }
    if (LANE.matcher(code).find()) {
      return true;
    }
    Matcher parent = EXTENDS.matcher(code);
    return parent.find() && inALane(parent.group(1));
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
