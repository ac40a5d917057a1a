package io.agenthub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layout README describes, checked on the sources of src/main/java (comments and string literals left out): who
 * may depend on whom, who renders client frames, who names queues, that only public Vert.x API is used, and that no
 * class is longer than 250 lines.
 */
class ArchitectureTest {
  private static final String ROOT = "io.agenthub";
  private static final Set<String> VERTICLES = Set.of("gateway", "presence", "bridge", "heartbeat", "streams");
  private static final Pattern AGENTHUB_REFERENCE = Pattern.compile("\\bio\\.agenthub\\.(?:([a-z]\\w*)|[A-Z])");
  private static final Pattern VERTX_INTERNALS =
      Pattern.compile("\\bio\\.vertx\\.core\\.internal\\b|\\b[a-z]\\w*(?:\\.[a-z]\\w*)*\\.impl\\.[\\w.*]+");
  /** What renders a frame for a client; {@code Frames.SERVER_ID} is only a name. */
  private static final Pattern FRAME_RENDERING =
      Pattern.compile("\\bFrames\\s*\\.\\s*(?!SERVER_ID\\b)\\w+|\\bChatMessages\\s*\\.\\s*forClient\\b");
  /**
   * The bridge routes what the brokers publish, so it hands a socket the message stripped for clients, and answers a
   * message for an agent known to be offline with AGENT_OFFLINE: both are routing outcomes, which are the bridge's.
   */
  private static final Set<String> BRIDGE_RENDERS = Set.of("Frames.agentOffline", "ChatMessages.forClient");
  private static final Pattern MESSAGE_TYPES = Pattern.compile("\\bMessageType\\b|\\bMESSAGE_TYPE\\b|\"message_type\"");
  private static final Pattern QUEUE_NAMES = Pattern.compile("\\bQueues\\b");
  /** Small units: a class longer than this is split along its responsibilities. */
  private static final int MAX_LINES = 250;
  private static final int MAX_WIDTH = 120;

  /** Source file (relative to io/agenthub) → its code, without comments and string literals. */
  private static final Map<String, String> CODE = new TreeMap<>();
  /** Source file → its code with string literals kept (comments still left out). */
  private static final Map<String, String> CODE_WITH_STRINGS = new TreeMap<>();
  /** Source file → its length in lines, comments included. */
  private static final Map<String, Long> LINES = new TreeMap<>();

  @BeforeAll
  static void readSources() throws IOException {
    Path base = Path.of("src/main/java/io/agenthub");
    try (Stream<Path> files = Files.walk(base)) {
      files.filter(f -> f.toString().endsWith(".java")).forEach(file -> {
        String name = base.relativize(file).toString().replace('\\', '/');
        String source = read(file);
        CODE.put(name, strip(source, false));
        CODE_WITH_STRINGS.put(name, strip(source, true));
        LINES.put(name, source.lines().count());
      });
    }
    assertFalse(CODE.isEmpty(), "no sources under " + base.toAbsolutePath());
  }

  @Test
  void noMainClassIsLongerThan250Lines() {
    List<String> violations = new ArrayList<>();
    LINES.forEach((file, lines) -> {
      if (lines > MAX_LINES) {
        violations.add(file + " has " + lines + " lines");
      }
    });
    assertEquals(List.of(), violations);
  }

  /** The project's width, for main and test sources alike: reviewers read them side by side. */
  @Test
  void noSourceLineIsWiderThan120Characters() throws IOException {
    List<String> violations = new ArrayList<>();
    try (Stream<Path> files = Files.walk(Path.of("src"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
          if (lines.get(i).length() > MAX_WIDTH) {
            violations.add(file + ":" + (i + 1));
          }
        }
      }
    }
    assertEquals(List.of(), violations);
  }

  @Test
  void noVerticlePackageDependsOnAnotherVerticlesPackage() {
    List<String> violations = new ArrayList<>();
    dependencies().forEach((from, targets) -> targets.stream()
        .filter(to -> VERTICLES.contains(packageOf(from)) && VERTICLES.contains(to) && !to.equals(packageOf(from)))
        .forEach(to -> violations.add(from + " uses " + ROOT + "." + to)));
    assertEquals(List.of(), violations);
  }

  @Test
  void nothingDependsOnTheRootPackageThatDeploysEverything() {
    List<String> violations = new ArrayList<>();
    dependencies().forEach((from, targets) -> {
      if (!packageOf(from).isEmpty() && targets.contains("")) {
        violations.add(from + " uses the root package " + ROOT);
      }
    });
    assertEquals(List.of(), violations);
  }

  @Test
  void packagesFormNoCycle() {
    Map<String, Set<String>> graph = new TreeMap<>();
    dependencies().forEach((from, targets) -> {
      String pkg = packageOf(from);
      if (!pkg.isEmpty()) {
        targets.stream().filter(to -> !to.isEmpty() && !to.equals(pkg))
            .forEach(to -> graph.computeIfAbsent(pkg, k -> new TreeSet<>()).add(to));
      }
    });
    assertEquals(List.of(), cycles(graph));
  }

  @Test
  void onlyPublicVertxApiIsUsed() {
    List<String> violations = new ArrayList<>();
    CODE.forEach((file, code) -> {
      Matcher use = VERTX_INTERNALS.matcher(code);
      while (use.find()) {
        violations.add(file + " uses " + use.group());
      }
    });
    assertEquals(List.of(), violations);
  }

  @Test
  void clientFramesAreRenderedOnlyInTheGatewayAndTheProtocolPackage() {
    List<String> violations = new ArrayList<>();
    CODE.forEach((file, code) -> {
      String pkg = packageOf(file);
      Matcher use = FRAME_RENDERING.matcher(code);
      while (use.find()) {
        String call = use.group().replaceAll("\\s", "");
        boolean allowed = pkg.equals("gateway") || pkg.equals("protocol")
            || (pkg.equals("bridge") && BRIDGE_RENDERS.contains(call));
        if (!allowed) {
          violations.add(file + " renders a client frame with " + call);
        }
      }
    });
    assertEquals(List.of(), violations);
  }

  @Test
  void onlyTheGatewayTheBridgeTheProtocolAndTheCompanionsNameMessageTypes() {
    assertEquals(List.of(), filesMatching(CODE_WITH_STRINGS, MESSAGE_TYPES,
        pkg -> !Set.of("gateway", "bridge", "protocol", "companion").contains(pkg)));
  }

  @Test
  void queueNamesAreUsedOnlyInTheBridgeTheProtocolAndTheCompanions() {
    assertEquals(List.of(), filesMatching(CODE, QUEUE_NAMES,
        pkg -> !Set.of("bridge", "protocol", "companion").contains(pkg)));
  }

  private static List<String> filesMatching(Map<String, String> code, Pattern pattern, Predicate<String> forbidden) {
    List<String> violations = new ArrayList<>();
    code.forEach((file, text) -> {
      Matcher use = pattern.matcher(text);
      if (forbidden.test(packageOf(file)) && use.find()) {
        violations.add(file + " uses " + use.group());
      }
    });
    return violations;
  }

  /** Source file → the io.agenthub packages it refers to ("" for the root package), its own excluded. */
  private static Map<String, Set<String>> dependencies() {
    Map<String, Set<String>> dependencies = new TreeMap<>();
    CODE.forEach((file, code) -> {
      Set<String> targets = new TreeSet<>();
      Matcher reference = AGENTHUB_REFERENCE.matcher(code);
      while (reference.find()) {
        String target = reference.group(1) == null ? "" : reference.group(1);
        if (!target.equals(packageOf(file))) {
          targets.add(target);
        }
      }
      dependencies.put(file, targets);
    });
    return dependencies;
  }

  /** Each cycle once, as "a -> b -> a", found by a depth-first walk from every package. */
  private static List<String> cycles(Map<String, Set<String>> graph) {
    Set<String> cycles = new TreeSet<>();
    for (String start : graph.keySet()) {
      Deque<List<String>> paths = new ArrayDeque<>();
      paths.push(List.of(start));
      while (!paths.isEmpty()) {
        List<String> path = paths.pop();
        for (String next : graph.getOrDefault(path.get(path.size() - 1), Set.of())) {
          if (next.equals(start)) {
            cycles.add(String.join(" -> ", path) + " -> " + start);
          } else if (!path.contains(next) && next.compareTo(start) > 0) {
            List<String> longer = new ArrayList<>(path);
            longer.add(next);
            paths.push(longer);
          }
        }
      }
    }
    return List.copyOf(cycles);
  }

  private static String packageOf(String file) {
    int slash = file.lastIndexOf('/');
    return slash < 0 ? "" : file.substring(0, slash).replace('/', '.');
  }

  /** Java source without comments, and without the contents of string and character literals unless asked. */
  static String strip(String source, boolean keepStrings) {
    StringBuilder code = new StringBuilder(source.length());
    int i = 0;
    while (i < source.length()) {
      if (source.startsWith("//", i)) {
        i = source.indexOf('\n', i) < 0 ? source.length() : source.indexOf('\n', i);
      } else if (source.startsWith("/*", i)) {
        int end = source.indexOf("*/", i + 2);
        i = end < 0 ? source.length() : end + 2;
        code.append(' ');
      } else if (source.startsWith("\"\"\"", i)) {
        int end = source.indexOf("\"\"\"", i + 3);
        int after = end < 0 ? source.length() : end + 3;
        code.append(keepStrings ? source.substring(i, after) : "\"\"");
        i = after;
      } else if (source.charAt(i) == '"' || source.charAt(i) == '\'') {
        char quote = source.charAt(i);
        int j = i + 1;
        while (j < source.length() && source.charAt(j) != quote) {
          j += source.charAt(j) == '\\' ? 2 : 1;
        }
        int after = Math.min(j + 1, source.length());
        code.append(keepStrings ? source.substring(i, after) : String.valueOf(quote) + quote);
        i = after;
      } else {
        code.append(source.charAt(i++));
      }
    }
    return code.toString();
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
