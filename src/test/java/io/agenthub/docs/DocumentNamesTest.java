package io.agenthub.docs;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The documents (README.md, BENCHMARKS.md, RELIABILITY.md, docs/*.md) name only what exists. In {@code `code`} spans:
 * a capitalised name ({@code `ClientSession`}) is a type of the project or a known external one; a qualified name
 * ({@code `Hub.vertxBuilder()`}, {@code `StrictFramesTest#method`}, {@code `CompressionTest$On`}), a path to a class
 * ({@code `gateway/ClientSession`}) or a fully qualified one ({@code `io.agenthub.chaos.ChaosRunner`}) names a project
 * type that declares that member; a path under src/, scripts/ or docs/ exists; an UPPER_SNAKE word (a setting, a
 * message type, an environment variable) is spelt somewhere in the code, scripts or build files. Everywhere, code
 * blocks included: an {@code agenthub.*} address is one of {@code bus/Addresses.java} or
 * {@code bus/StreamAddresses.java} (or a meter name), and the test classes a {@code -Dtest=} or {@code -Dit.test=}
 * selects exist. Every relative link leads to a file and heading.
 */
class DocumentNamesTest {
  /** Types of the JDK and of the libraries the documents name; a project type is never listed here. */
  private static final Set<String> EXTERNAL_TYPES = Set.of("JsonObject", "JsonArray", "ServerWebSocket",
      "WebSocketClientOptions", "SharedData", "MpscUnboundedArrayQueue", "OutboundMessageQueue", "VertxConnection",
      "PlatformDependent");
  /** Capitalised words the documents put in code spans that name no type: a client's name, JSON, HTTP. */
  private static final Set<String> WORDS = Set.of("Console", "Infinity", "Origin", "Forwarded");
  /** UPPER_SNAKE words of other tools that no file of the project spells. */
  private static final Set<String> EXTERNAL_WORDS = Set.of("ACCESS_REFUSED");

  private static final Pattern CODE_SPAN = Pattern.compile("`([^`]+)`");
  private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
  private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.*)$");
  private static final Pattern ADDRESS = Pattern.compile("(?<![\\w.])agenthub\\.[a-z][a-z0-9.*-]*(?:<[^>]*>)?");
  private static final Pattern UPPER_SNAKE = Pattern.compile("(?<![\\w.-])[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+(?![\\w-])");
  private static final Pattern TEST_SELECTION = Pattern.compile("-D(?:it\\.)?test=('?)([\\w*,#!$]+)\\1");
  private static final String MEMBER = "(?:[.#]([A-Za-z_]\\w*))?(?:\\(.*\\))?";
  private static final Pattern QUALIFIED =
      Pattern.compile("([A-Z](?=[A-Za-z0-9]*[a-z])[A-Za-z0-9]*)(?:\\$([A-Z]\\w*))?" + MEMBER);
  private static final Pattern PATH_TO_TYPE =
      Pattern.compile("(?:src/(?:main|test)/java/io/agenthub/)?((?:[a-z]\\w*/)+)([A-Z]\\w*)(?:\\.java)?" + MEMBER);
  private static final Pattern FULLY_QUALIFIED = Pattern.compile("io\\.agenthub\\.((?:[a-z]\\w*\\.)*)([A-Z]\\w*)");
  private static final Pattern REPO_PATH = Pattern.compile("(?:src|scripts|docs)/[\\w./-]+");
  private static final Pattern TYPE_NAME = Pattern.compile("[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]+)*");

  private static ProjectNames project;

  @BeforeAll
  static void readTheCode() {
    project = ProjectNames.read();
  }

  @Test
  void documentsNameOnlyTypesMembersAddressesSettingsFilesAndHeadingsThatExist() {
    List<String> problems = new ArrayList<>();
    for (Path document : documents()) {
      List<String> lines = readLines(document);
      boolean inCodeBlock = false;
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i);
        String where = document + ":" + (i + 1) + ": ";
        if (line.strip().startsWith("```")) {
          inCodeBlock = !inCodeBlock;
          continue;
        }
        checkAddresses(line, where, problems);
        checkTestSelections(line, where, problems);
        if (inCodeBlock) {
          checkUpperSnakeWords(line, where, problems);
          continue;
        }
        Matcher span = CODE_SPAN.matcher(line);
        while (span.find()) {
          checkSpan(span.group(1).strip(), where, problems);
          checkUpperSnakeWords(span.group(1), where, problems);
        }
        checkLinks(document, line, where, problems);
      }
    }
    assertTrue(problems.isEmpty(), problems.size() + " names in the documents do not exist:\n"
        + String.join("\n", problems));
  }

  private static void checkSpan(String span, String where, List<String> problems) {
    Matcher qualified = QUALIFIED.matcher(span);
    Matcher path = PATH_TO_TYPE.matcher(span);
    Matcher fullyQualified = FULLY_QUALIFIED.matcher(span);
    if (fullyQualified.matches()) {
      String file = fullyQualified.group(1).replace('.', '/') + fullyQualified.group(2) + ".java";
      if (!Files.exists(ProjectNames.MAIN.resolve(file)) && !Files.exists(ProjectNames.TEST.resolve(file))) {
        problems.add(where + "class `" + span + "` does not exist");
      }
    } else if (path.matches()) {
      String file = path.group(1) + path.group(2) + ".java";
      if (!Files.exists(ProjectNames.MAIN.resolve(file)) && !Files.exists(ProjectNames.TEST.resolve(file))) {
        problems.add(where + "`" + span + "`: no " + file + " under src/main/java or src/test/java");
      } else {
        checkMember(path.group(2), path.group(3), span, where, problems);
      }
    } else if (qualified.matches() && (qualified.group(2) != null || qualified.group(3) != null)) {
      checkQualified(qualified.group(1), qualified.group(2), qualified.group(3), span, where, problems);
    } else if (TYPE_NAME.matcher(span).matches() && !project.isType(span) && !EXTERNAL_TYPES.contains(span)
        && !WORDS.contains(span)) {
      problems.add(where + "`" + span + "` is neither a type of the project nor a known external one");
    }
    for (String token : span.split("\\s+")) {
      if (REPO_PATH.matcher(token).matches() && !Files.exists(Path.of(token))) {
        problems.add(where + "`" + token + "` does not exist");
      }
    }
  }

  private static void checkQualified(String type, String nested, String member, String span, String where,
      List<String> problems) {
    if (EXTERNAL_TYPES.contains(type)) {
      return;
    }
    if (!project.isType(type)) {
      problems.add(where + "`" + span + "`: " + type + " is neither a type of the project nor a known external one");
      return;
    }
    if (nested != null && !project.declares(type, nested)) {
      problems.add(where + "`" + span + "`: " + type + " declares no type " + nested);
    }
    checkMember(type, member, span, where, problems);
  }

  private static void checkMember(String type, String member, String span, String where, List<String> problems) {
    if (member != null && !member.equals("java") && !project.declares(type, member)) {
      problems.add(where + "`" + span + "`: " + type + " declares no " + member);
    }
  }

  private static void checkAddresses(String line, String where, List<String> problems) {
    Matcher address = ADDRESS.matcher(line);
    while (address.find()) {
      String name = address.group().replaceAll("[.-]+$", "");
      if (!project.isAddress(name)) {
        problems.add(where + "event-bus address " + name + " is in neither bus/Addresses.java nor StreamAddresses");
      }
    }
  }

  private static void checkUpperSnakeWords(String text, String where, List<String> problems) {
    Matcher word = UPPER_SNAKE.matcher(text);
    while (word.find()) {
      if (!project.isUpperSnakeWordOfTheCode(word.group()) && !EXTERNAL_WORDS.contains(word.group())) {
        problems.add(where + word.group() + " is no setting, and no file of the code or scripts spells it");
      }
    }
  }

  private static void checkTestSelections(String line, String where, List<String> problems) {
    Matcher selection = TEST_SELECTION.matcher(line);
    while (selection.find()) {
      for (String test : selection.group(2).split(",")) {
        String name = test.replaceAll("[#$].*", "");
        if (!name.equals("NONE") && !name.startsWith("!") && !project.hasTestClass(name)) {
          problems.add(where + "-Dtest selects " + name + ", which matches no test class");
        }
      }
    }
  }

  private static void checkLinks(Path document, String line, String where, List<String> problems) {
    Matcher link = LINK.matcher(line);
    while (link.find()) {
      String target = link.group(1);
      if (target.matches("^[a-z]+:.*")) {
        continue;
      }
      int hash = target.indexOf('#');
      String file = hash < 0 ? target : target.substring(0, hash);
      Path linked = file.isEmpty() ? document : document.resolveSibling(file).normalize();
      if (!Files.exists(linked)) {
        problems.add(where + "link to " + target + ": " + linked + " does not exist");
      } else if (hash >= 0 && !anchors(linked).contains(target.substring(hash + 1))) {
        problems.add(where + "link to " + target + ": " + linked + " has no such heading");
      }
    }
  }

  /** GitHub's anchors: the heading in lower case, punctuation dropped, spaces as hyphens, repeats numbered. */
  private static List<String> anchors(Path document) {
    List<String> anchors = new ArrayList<>();
    if (!document.toString().endsWith(".md")) {
      return anchors;
    }
    boolean inCodeBlock = false;
    for (String line : readLines(document)) {
      inCodeBlock ^= line.strip().startsWith("```");
      Matcher heading = HEADING.matcher(line);
      if (!inCodeBlock && heading.matches()) {
        String anchor = heading.group(1).strip().toLowerCase().replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
        long repeats = anchors.stream().filter(a -> a.equals(anchor) || a.matches(Pattern.quote(anchor) + "-\\d+"))
            .count();
        anchors.add(repeats == 0 ? anchor : anchor + "-" + repeats);
      }
    }
    return anchors;
  }

  private static List<Path> documents() {
    List<Path> documents = new ArrayList<>(List.of(Path.of("README.md"), Path.of("BENCHMARKS.md"),
        Path.of("RELIABILITY.md")));
    try (Stream<Path> docs = Files.list(Path.of("docs"))) {
      docs.filter(f -> f.toString().endsWith(".md")).sorted().forEach(documents::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return documents;
  }

  private static List<String> readLines(Path document) {
    try {
      return Files.readAllLines(document);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
