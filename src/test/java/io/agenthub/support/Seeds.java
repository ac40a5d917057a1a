package io.agenthub.support;

import java.util.stream.LongStream;

/** The generated cases of the property tests: each seed drives one random history, and names it when it fails. */
public final class Seeds {
  private Seeds() {
  }

  /** 300 seeds, as {@code @MethodSource("io.agenthub.support.Seeds#seeds")}. */
  public static LongStream seeds() {
    return LongStream.rangeClosed(1, 300);
  }
}
