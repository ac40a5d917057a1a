package io.agenthub.setup;

import io.vertx.core.json.JsonArray;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The runtime stage of the project's Dockerfile (the instructions after its last {@code FROM}), read so that tests
 * can run what the image runs without a Docker engine: its environment, its files, its entrypoint and its health
 * check. Only the forms the Dockerfile uses are understood: {@code ENV key=value ...}, {@code COPY [--from=stage]
 * source destination}, and the exec (JSON array) form of {@code ENTRYPOINT} and {@code HEALTHCHECK ... CMD}.
 */
record Dockerfile(Map<String, String> environment, List<Copy> copies, List<String> entrypoint,
    List<String> healthCheck) {
  private static final Pattern ENV_PAIR = Pattern.compile("(\\w+)=(\"[^\"]*\"|\\S*)");

  /** One COPY: from the build context, or from a build stage when {@code stage} is not null. */
  record Copy(String stage, String source, String destination) {
  }

  static Dockerfile read(Path file) throws IOException {
    List<String> instructions = instructions(Files.readString(file));
    int runtimeStage = 0;
    for (int i = 0; i < instructions.size(); i++) {
      if (instructions.get(i).startsWith("FROM ")) {
        runtimeStage = i;
      }
    }
    Map<String, String> environment = new LinkedHashMap<>();
    List<Copy> copies = new ArrayList<>();
    List<String> entrypoint = List.of();
    List<String> healthCheck = List.of();
    for (String instruction : instructions.subList(runtimeStage, instructions.size())) {
      String[] words = instruction.split("\\s+", 2);
      String rest = words.length > 1 ? words[1] : "";
      switch (words[0]) {
        case "ENV" -> environment.putAll(environment(rest));
        case "COPY" -> copies.add(copy(rest));
        case "ENTRYPOINT" -> entrypoint = execForm(rest);
        case "HEALTHCHECK" -> healthCheck = execForm(rest.substring(rest.indexOf(" CMD ") + " CMD ".length()));
        default -> { }
      }
    }
    return new Dockerfile(environment, copies, entrypoint, healthCheck);
  }

  /** The instructions, each on one line: comments and blank lines dropped, continued lines joined. */
  private static List<String> instructions(String text) {
    List<String> instructions = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : text.split("\n")) {
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      boolean continues = trimmed.endsWith("\\");
      current.append(continues ? trimmed.substring(0, trimmed.length() - 1) : trimmed).append(' ');
      if (!continues) {
        instructions.add(current.toString().strip());
        current.setLength(0);
      }
    }
    return instructions;
  }

  private static Map<String, String> environment(String pairs) {
    Map<String, String> environment = new LinkedHashMap<>();
    Matcher pair = ENV_PAIR.matcher(pairs);
    while (pair.find()) {
      environment.put(pair.group(1), pair.group(2).replaceAll("^\"|\"$", ""));
    }
    return environment;
  }

  private static Copy copy(String arguments) {
    String[] words = arguments.split("\\s+");
    String stage = words[0].startsWith("--from=") ? words[0].substring("--from=".length()) : null;
    if (words.length != (stage == null ? 2 : 3)) {
      throw new IllegalArgumentException("COPY with one source and one destination expected: COPY " + arguments);
    }
    return new Copy(stage, words[words.length - 2], words[words.length - 1]);
  }

  private static List<String> execForm(String json) {
    List<String> command = new ArrayList<>();
    new JsonArray(json.strip()).forEach(word -> command.add((String) word));
    return List.copyOf(command);
  }
}
