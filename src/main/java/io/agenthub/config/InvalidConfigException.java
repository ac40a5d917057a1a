package io.agenthub.config;

import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

/** A configuration that was refused as a whole; each problem names its key, value and what is allowed. */
public final class InvalidConfigException extends RuntimeException {

  /** One refused key; {@code text} already names key, value and what is allowed. */
  public record Problem(String key, String text) {
  }

  private final List<Problem> problems;

  public InvalidConfigException(List<Problem> problems) {
    super(problems.stream().map(Problem::text).collect(Collectors.joining("; ")));
    this.problems = List.copyOf(problems);
  }

  public List<Problem> problems() {
    return problems;
  }

  /** Every problem with the source its key came from, e.g. {@code PORT="x" is not allowed (.../conf/hub.json): …}. */
  public List<String> describe(Function<String, String> sourceOf) {
    return problems.stream().map(p -> p.text() + " [from " + sourceOf.apply(p.key()) + "]").toList();
  }
}
