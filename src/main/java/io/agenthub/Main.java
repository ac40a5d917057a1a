package io.agenthub;

import io.agenthub.companion.CompanionRunner;
import java.util.Arrays;

/**
 * {@code java -jar agent-hub.jar [hub]} runs the hub; {@code broker} and {@code agent --name NAME} run the companion
 * broker and echo agent (their options in {@link CompanionRunner}), and {@code chat MESSAGE} sends one message as a
 * frontend, which together show a round trip without any other software.
 */
public final class Main {

  private Main() {
  }

  public static void main(String[] args) {
    String command = args.length == 0 ? "hub" : args[0];
    String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
    switch (command) {
      case "hub" -> HubApplication.run();
      case "broker" -> CompanionRunner.broker(rest);
      case "agent" -> CompanionRunner.agent(rest);
      case "chat" -> CompanionRunner.chat(rest);
      default -> {
        System.err.println("Usage: java -jar agent-hub.jar [hub | broker [--routing load|random] | agent --name NAME "
            + "[--stream [--rate N]] [--skills ID,ID] [--concurrency N] [--work-ms N] | chat MESSAGE]");
        System.exit(64);
      }
    }
  }
}
