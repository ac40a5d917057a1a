package io.agenthub.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What the project's code declares, read from the sources as text: every type (top-level and nested) with the code of
 * the file that declares it, the event-bus addresses of {@code bus/Addresses.java} and {@code bus/LoadAddresses.java},
 * the meter names of {@code metrics/HubMetrics.java}, and every UPPER_SNAKE word of the code, scripts and build files
 * (settings, message types, error codes, and the environment variables the scripts and companions read).
 */
final class ProjectNames {
  static final Path MAIN = Path.of("src/main/java/io/agenthub");
  static final Path TEST = Path.of("src/test/java/io/agenthub");

  private static final Pattern TYPE = Pattern.compile("\\b(?:class|interface|enum|record|@interface)\\s+([A-Z]\\w*)");
  private static final Pattern EXTENDS = Pattern.compile("\\b(?:extends|implements)\\s+([A-Z]\\w*)");
  private static final Pattern AGENTHUB_LITERAL = Pattern.compile("\"(agenthub\\.[a-z0-9._-]+)\"");
  private static final Pattern UPPER_SNAKE = Pattern.compile("\\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\\b");
  private static final List<String> SCRIPTED = List.of("src", "scripts", "conf", ".ci", "Dockerfile",
      "docker-compose.yml", "pom.xml", "mvnw");
  /** This package: what its lists of external names spell must not count as spelt by the code. */
  private static final Path DOCS_TESTS = TEST.resolve("docs");

  /** Simple type name → the code (comments and strings removed) of each file declaring a type of that name. */
  private final Map<String, List<String>> types = new HashMap<>();
  /** Simple type name → the types it extends or implements, where the project declares them. */
  private final Map<String, Set<String>> parents = new HashMap<>();
  private final Set<String> addresses = new HashSet<>();
  private final Set<String> addressPrefixes = new HashSet<>();
  private final Set<String> meterNames = new HashSet<>();
  private final Set<String> upperSnakeWords = new HashSet<>();

  static ProjectNames read() {
    ProjectNames names = new ProjectNames();
    javaFiles(MAIN).forEach(names::addTypes);
    javaFiles(TEST).forEach(names::addTypes);
    names.addLiterals(read(MAIN.resolve("bus/Addresses.java")), names.addresses);
    names.addLiterals(read(MAIN.resolve("bus/StreamAddresses.java")), names.addresses);
    names.addLiterals(read(MAIN.resolve("bus/LoadAddresses.java")), names.addresses);
    names.addLiterals(read(MAIN.resolve("metrics/HubMetrics.java")), names.meterNames);
    names.addresses.stream().filter(address -> address.endsWith(".")).forEach(names.addressPrefixes::add);
    names.addresses.removeAll(names.addressPrefixes);
    SCRIPTED.stream().map(Path::of).filter(Files::exists).forEach(names::addUpperSnakeWords);
    return names;
  }

  boolean isType(String name) {
    return types.containsKey(name);
  }

  /** The type itself or one of the project types it extends or implements declares {@code member}. */
  boolean declares(String type, String member) {
    return declares(type, member, new HashSet<>());
  }

  private boolean declares(String type, String member, Set<String> seen) {
    if (!seen.add(type) || !types.containsKey(type)) {
      return false;
    }
    Pattern declaration = Character.isUpperCase(member.charAt(0)) && !member.equals(member.toUpperCase())
        ? Pattern.compile("\\b(?:class|interface|enum|record)\\s+" + member + "\\b")
        : Pattern.compile("(?<![\\w.$])(?!(?:return|new|throw|else|case|yield)\\s)[\\w$]+(?:<[^;{}()=]*?>)?"
            + "(?:\\[\\])*\\s+" + member + "\\s*[(=;,):]|(?m)^\\s*" + member + "\\s*[(,;{]");
    return types.get(type).stream().anyMatch(code -> declaration.matcher(code).find())
        || parents.getOrDefault(type, Set.of()).stream().anyMatch(parent -> declares(parent, member, seen));
  }

  /** {@code agenthub.local.x}, or a prefix address followed by a placeholder ({@code agenthub.cluster.client.<id>}). */
  boolean isAddress(String address) {
    if (addresses.contains(address) || meterNames.contains(address)) {
      return true;
    }
    if (address.endsWith(".*")) {
      String prefix = address.substring(0, address.length() - 1);
      return addresses.stream().anyMatch(a -> a.startsWith(prefix))
          || addressPrefixes.stream().anyMatch(p -> p.startsWith(prefix));
    }
    int placeholder = address.indexOf('<');
    return placeholder > 0 && addressPrefixes.contains(address.substring(0, placeholder));
  }

  boolean isUpperSnakeWordOfTheCode(String word) {
    return upperSnakeWords.contains(word);
  }

  /** Test classes whose simple name matches {@code glob} (Surefire's {@code -Dtest} syntax, {@code *} only). */
  boolean hasTestClass(String glob) {
    Pattern pattern = Pattern.compile(Arrays.stream(glob.split("\\*", -1)).map(Pattern::quote)
        .collect(Collectors.joining("[\\w$]*")));
    return javaFiles(TEST).stream()
        .map(file -> file.getFileName().toString().replace(".java", ""))
        .anyMatch(name -> pattern.matcher(name).matches());
  }

  private void addTypes(Path file) {
    String code = strip(read(file));
    Matcher declared = TYPE.matcher(code);
    List<String> names = new ArrayList<>();
    while (declared.find()) {
      names.add(declared.group(1));
    }
    Matcher parent = EXTENDS.matcher(code);
    Set<String> fileParents = new HashSet<>();
    while (parent.find()) {
      fileParents.add(parent.group(1));
    }
    for (String name : names) {
      types.computeIfAbsent(name, n -> new ArrayList<>()).add(code);
      parents.computeIfAbsent(name, n -> new HashSet<>()).addAll(fileParents);
    }
  }

  private void addLiterals(String source, Set<String> into) {
    Matcher literal = AGENTHUB_LITERAL.matcher(source);
    while (literal.find()) {
      into.add(literal.group(1));
    }
  }

  private void addUpperSnakeWords(Path root) {
    try (Stream<Path> files = Files.walk(root)) {
      files.filter(Files::isRegularFile).filter(f -> !f.startsWith(DOCS_TESTS))
          .filter(f -> !f.toString().matches(".*\\.(png|jar|class|jks|p12)$"))
          .forEach(file -> {
            Matcher word = UPPER_SNAKE.matcher(readLeniently(file));
            while (word.find()) {
              upperSnakeWords.add(word.group());
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<Path> javaFiles(Path root) {
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(f -> f.toString().endsWith(".java")).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Any file as text: bytes that are not UTF-8 (fuzz inputs, keys) cannot hide an UPPER_SNAKE word. */
  private static String readLeniently(Path file) {
    try {
      return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The code without comments, and with every string and character literal emptied. */
  static String strip(String source) {
    StringBuilder code = new StringBuilder(source.length());
    int i = 0;
    while (i < source.length()) {
      if (source.startsWith("//", i)) {
        int end = source.indexOf('\n', i);
        i = end < 0 ? source.length() : end;
      } else if (source.startsWith("/*", i)) {
        int end = source.indexOf("*/", i + 2);
        i = end < 0 ? source.length() : end + 2;
        code.append(' ');
      } else if (source.startsWith("\"\"\"", i)) {
        int end = source.indexOf("\"\"\"", i + 3);
        i = end < 0 ? source.length() : end + 3;
        code.append("\"\"");
      } else if (source.charAt(i) == '"' || source.charAt(i) == '\'') {
        char quote = source.charAt(i);
        int j = i + 1;
        while (j < source.length() && source.charAt(j) != quote) {
          j += source.charAt(j) == '\\' ? 2 : 1;
        }
        i = Math.min(j + 1, source.length());
        code.append(quote).append(quote);
      } else {
        code.append(source.charAt(i++));
      }
    }
    return code.toString();
  }
}
