package io.agenthub.companion;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The command line of the companions: {@code broker [--routing load|random]}, {@code agent --name NAME [--stream
 * [--rate WORDS_PER_SECOND]] [--skills ID,ID] [--concurrency N] [--work-ms N]} and {@code chat MESSAGE}, each
 * configured from WEBSOCKET_URL and RABBITMQ_* like the old clients. Long-running companions stop cleanly on
 * SIGTERM/SIGINT; a companion that cannot start exits with status 1 and says why.
 */
public final class CompanionRunner {
  private static final long CHAT_TIMEOUT_MS = 15_000;
  private static final long STOP_STEP_TIMEOUT_SECONDS = 5;

  private CompanionRunner() {
  }

  /** {@code --routing load} (the default) routes on skills and load, {@code random} as the seed broker. */
  public static void broker(String[] args) {
    String routing = option(args, "--routing", "load");
    if (!routing.equals("load") && !routing.equals("random")) {
      exit("--routing " + routing + " is not allowed: expected load or random", 64);
    }
    runUntilStopped(vertx -> BrokerCompanion.start(vertx, settings(), routing.equals("load"))
        .map(broker -> broker::stop));
  }

  /**
   * {@code --stream} streams each answer a word at a time, {@code --rate} words per second (default 20);
   * {@code --skills} names the skills of its card, {@code --concurrency} the most questions it works on at once,
   * {@code --work-ms} how long each takes before its answer starts ({@link EchoOptions}).
   */
  public static void agent(String[] args) {
    EchoOptions options = EchoOptions.named(option(args, "--name", "Echo"))
        .streaming(Arrays.asList(args).contains("--stream") ? number(args, "--rate", "20", 1, 1000) : 0)
        .withConcurrency(number(args, "--concurrency", "0", 0, 10_000))
        .withWork(number(args, "--work-ms", "0", 0, 600_000));
    String skills = option(args, "--skills", "");
    EchoOptions withSkills = skills.isBlank() ? options
        : options.withSkills(Arrays.stream(skills.split(",")).map(String::trim).filter(id -> !id.isEmpty()).toList());
    runUntilStopped(vertx -> EchoAgentCompanion.start(vertx, settings(), withSkills).map(agent -> agent::stop));
  }

  private static int number(String[] args, String name, String defaultValue, int min, int max) {
    String value = option(args, name, defaultValue);
    try {
      int number = Integer.parseInt(value.trim());
      if (number >= min && number <= max) {
        return number;
      }
    } catch (NumberFormatException notANumber) {
      // reported below with the allowed range
    }
    exit(name + " " + value + " is not allowed: expected an integer from " + min + " to " + max, 64);
    return 0;
  }

  public static void chat(String[] args) {
    if (args.length == 0) {
      exit("Usage: java -jar agent-hub.jar chat MESSAGE", 64);
    }
    Vertx vertx = Vertx.vertx();
    ChatCommand chat = new ChatCommand(vertx, settings(), System.out);
    // Ctrl-C while a reply streams in cancels it: the agent stops, and the stream ends as cancelled for everyone.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> awaitAtMost(chat.cancel(), "cancelling the stream")));
    chat.ask(String.join(" ", args), CHAT_TIMEOUT_MS)
        .onComplete(answer -> vertx.close().onComplete(closed -> {
          if (answer.failed()) {
            exit("No reply: " + answer.cause().getMessage(), 1);
          }
          System.exit(0);
        }));
  }

  private interface Starter {
    Future<Supplier<Future<Void>>> start(Vertx vertx);
  }

  private static void runUntilStopped(Starter starter) {
    Vertx vertx = Vertx.vertx();
    starter.start(vertx)
        .onSuccess(stop -> Runtime.getRuntime().addShutdownHook(new Thread(() -> stopAndClose(vertx, stop))))
        .onFailure(failed -> vertx.close().onComplete(closed -> exit("Could not start: " + failed.getMessage(), 1)));
  }

  /**
   * Runs on the JVM's shutdown-hook thread. Each step is bounded: a companion whose hub has already gone must still
   * exit on SIGTERM rather than wait for a close handshake nobody will answer.
   */
  private static void stopAndClose(Vertx vertx, Supplier<Future<Void>> stop) {
    awaitAtMost(stop.get(), "stopping the companion");
    awaitAtMost(vertx.close(), "closing Vert.x");
  }

  private static void awaitAtMost(Future<Void> step, String what) {
    try {
      step.toCompletionStage().toCompletableFuture().get(STOP_STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      System.err.println("Shutdown: " + what + " did not finish cleanly (" + e + "); exiting anyway");
    }
  }

  private static CompanionSettings settings() {
    try {
      return CompanionSettings.fromEnvironment();
    } catch (IllegalArgumentException invalid) {
      exit(invalid.getMessage(), 2);
      throw invalid;
    }
  }

  private static String option(String[] args, String name, String defaultValue) {
    List<String> list = Arrays.asList(args);
    int at = list.indexOf(name);
    if (at < 0) {
      return defaultValue;
    }
    if (at + 1 >= list.size() || list.get(at + 1).isBlank()) {
      exit(name + " needs a value", 64);
    }
    return list.get(at + 1);
  }

  private static void exit(String message, int status) {
    System.err.println(message);
    System.exit(status);
  }
}
