package io.agenthub.support;

import java.nio.charset.StandardCharsets;

/** The commit a benchmark or chaos run measured, so every recorded figure names the code it came from. */
public final class SourceCommit {
  private SourceCommit() {
  }

  /** The short hash of HEAD, with {@code +dirty} when src, pom.xml or conf differ from it; "unknown" outside git. */
  public static String describe() {
    try {
      Process git = new ProcessBuilder("git", "rev-parse", "--short", "HEAD").redirectErrorStream(true).start();
      String hash = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      String dirty = new ProcessBuilder("git", "status", "--porcelain", "src", "pom.xml", "conf").start()
          .getInputStream().readAllBytes().length > 0 ? "+dirty" : "";
      return git.waitFor() == 0 ? hash + dirty : "unknown";
    } catch (Exception e) {
      return "unknown";
    }
  }
}
