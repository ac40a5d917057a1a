package io.agenthub.protocol;

/**
 * Checks bytes for well-formed UTF-8 (RFC 3629, the table of Unicode 15 §3.9) as they arrive, so a text split over
 * several WebSocket fragments is checked across the fragment boundaries: overlong forms, encoded surrogates
 * (U+D800–U+DFFF), code points above U+10FFFF and truncated sequences are all refused. Java's and Jackson's decoders
 * replace or let through some of these, which is why the hub checks bytes itself.
 */
public final class Utf8Validator {
  private int continuationBytesExpected;
  private int nextMin = 0x80;
  private int nextMax = 0xBF;
  private boolean failed;

  /** True when these bytes alone are complete, well-formed UTF-8. */
  public static boolean isValid(byte[] bytes) {
    Utf8Validator validator = new Utf8Validator();
    return validator.accept(bytes, 0, bytes.length) && validator.isComplete();
  }

  /** Feeds the next bytes; false once anything fed so far is not well-formed UTF-8. */
  public boolean accept(byte[] bytes, int from, int to) {
    for (int i = from; i < to && !failed; i++) {
      failed = !acceptByte(bytes[i] & 0xff);
    }
    return !failed;
  }

  /** True when everything fed so far is well-formed and no multi-byte sequence is left open. */
  public boolean isComplete() {
    return !failed && continuationBytesExpected == 0;
  }

  private boolean acceptByte(int b) {
    if (continuationBytesExpected > 0) {
      if (b < nextMin || b > nextMax) {
        return false;
      }
      continuationBytesExpected--;
      nextMin = 0x80;
      nextMax = 0xBF;
      return true;
    }
    if (b < 0x80) {
      return true;
    }
    if (b >= 0xC2 && b <= 0xDF) {
      continuationBytesExpected = 1;
    } else if (b >= 0xE0 && b <= 0xEF) {
      continuationBytesExpected = 2;
      nextMin = b == 0xE0 ? 0xA0 : 0x80;
      nextMax = b == 0xED ? 0x9F : 0xBF;
    } else if (b >= 0xF0 && b <= 0xF4) {
      continuationBytesExpected = 3;
      nextMin = b == 0xF0 ? 0x90 : 0x80;
      nextMax = b == 0xF4 ? 0x8F : 0xBF;
    } else {
      return false;
    }
    return true;
  }
}
