package io.agenthub.protocol;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Stream ids: {@code st_} and 32 lower-case hex characters, 128 random bits. The id is what lets a client join a
 * stream, so it must not be guessable: it comes from a {@link SecureRandom}, never from a counter or the message id.
 */
public final class StreamIds {
  private static final Pattern WELL_FORMED = Pattern.compile("st_[0-9a-f]{32}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private StreamIds() {
  }

  public static String generate() {
    byte[] bits = new byte[16];
    RANDOM.nextBytes(bits);
    return "st_" + HexFormat.of().formatHex(bits);
  }

  public static boolean isWellFormed(Object id) {
    return id instanceof String s && WELL_FORMED.matcher(s).matches();
  }
}
