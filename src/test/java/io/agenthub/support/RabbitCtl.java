package io.agenthub.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * rabbitmqctl on the shared broker, run the way this user may run it. Debian's {@code /usr/sbin/rabbitmqctl} runs
 * only for root and the {@code rabbitmq} user; anyone else needs the broker's Erlang cookie, which
 * {@code scripts/ensure-rabbitmq} copies into {@link #COOKIE_HOME} for a user with sudo. The first of these ways that
 * answers is kept for the rest of the JVM: plain rabbitmqctl (root, the rabbitmq user, installs other than Debian's),
 * the rabbitmqctl script itself with that copy of the cookie, and passwordless {@code sudo -n rabbitmqctl}.
 */
final class RabbitCtl {
  /** Where scripts/ensure-rabbitmq puts the copy of the cookie: rabbitmqctl reads {@code $HOME/.erlang.cookie}. */
  static final Path COOKIE_HOME = Path.of(System.getProperty("user.home"), ".cache", "agent-hub", "rabbitmq");
  /** Debian's script behind the /usr/sbin wrapper, which would refuse anyone but root and rabbitmq. */
  private static final Path DEBIAN_SCRIPT = Path.of("/usr/lib/rabbitmq/bin/rabbitmqctl");
  private static final long TIMEOUT_SECONDS = 60;

  private static Way chosen;

  private RabbitCtl() {
  }

  /** One way of running rabbitmqctl: the command before its arguments, and what it adds to the environment. */
  private record Way(String description, List<String> command, Map<String, String> environment) {
    Outcome run(String... args) throws Exception {
      List<String> line = new ArrayList<>(command);
      line.add("-q");
      line.addAll(List.of(args));
      ProcessBuilder builder = new ProcessBuilder(line).redirectErrorStream(true);
      builder.environment().putAll(environment);
      Process process;
      try {
        process = builder.start();
      } catch (IOException notInstalled) {
        return new Outcome(false, notInstalled.getMessage());
      }
      process.getOutputStream().close();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return new Outcome(false, "no answer within " + TIMEOUT_SECONDS + " s");
      }
      return new Outcome(process.exitValue() == 0, output);
    }
  }

  private record Outcome(boolean succeeded, String output) {
  }

  /** Runs {@code rabbitmqctl -q <args>} and returns what it printed; fails with that output if it fails. */
  static synchronized String run(String... args) throws Exception {
    if (chosen == null) {
      chosen = choose();
    }
    Outcome outcome = chosen.run(args);
    if (!outcome.succeeded()) {
      throw new IllegalStateException("rabbitmqctl " + String.join(" ", args) + " failed (" + chosen.description()
          + "): " + outcome.output());
    }
    return outcome.output();
  }

  private static Way choose() throws Exception {
    List<String> refusals = new ArrayList<>();
    for (Way way : candidates()) {
      Outcome probe = way.run("list_vhosts");
      if (probe.succeeded()) {
        return way;
      }
      refusals.add("- " + way.description() + ": " + probe.output().strip().replaceAll("\\s*\n\\s*", " / "));
    }
    String user = System.getProperty("user.name");
    Path cookie = COOKIE_HOME.resolve(".erlang.cookie");
    throw new IllegalStateException(String.join("\n",
        "The tests cannot run rabbitmqctl as " + user + " on the broker at 127.0.0.1:5672. Tried:",
        String.join("\n", refusals),
        "Run scripts/ensure-rabbitmq: it starts RabbitMQ and, for a user with sudo, copies the broker's Erlang cookie",
        "into " + COOKIE_HOME + ". By hand, the same copy is:",
        "  mkdir -p " + COOKIE_HOME + " && chmod 700 " + COOKIE_HOME + " && rm -f " + cookie
            + " && sudo cat /var/lib/rabbitmq/.erlang.cookie > " + cookie + " && chmod 400 " + cookie));
  }

  private static List<Way> candidates() {
    List<Way> ways = new ArrayList<>();
    ways.add(new Way("rabbitmqctl", List.of("rabbitmqctl"), Map.of()));
    if (Files.isReadable(COOKIE_HOME.resolve(".erlang.cookie"))) {
      String script = Files.isExecutable(DEBIAN_SCRIPT) ? DEBIAN_SCRIPT.toString() : "rabbitmqctl";
      ways.add(new Way(script + " with the Erlang cookie in " + COOKIE_HOME, List.of(script),
          Map.of("HOME", COOKIE_HOME.toString())));
    }
    ways.add(new Way("sudo -n rabbitmqctl", List.of("sudo", "-n", "rabbitmqctl"), Map.of()));
    return ways;
  }
}
