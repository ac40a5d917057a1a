package io.agenthub.logging;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * The formatted log message with every character that could start or fake a line escaped: CR and LF as {@code \r}
 * and {@code \n}, tab as {@code \t}, every other C0 and C1 control character, DEL and the Unicode line and paragraph
 * separators (U+2028, U+2029) as {@code \\uXXXX}. Names, ids and texts clients send end up in log lines; this is
 * the one place that keeps them from forging lines, whatever call site logs them. Used as {@code %safeMsg} in place
 * of {@code %msg} (logback.xml).
 */
public final class SafeMessageConverter extends ClassicConverter {

  @Override
  public String convert(ILoggingEvent event) {
    return escape(event.getFormattedMessage());
  }

  static String escape(String message) {
    if (message == null) {
      return "null";
    }
    int first = firstUnsafe(message);
    if (first < 0) {
      return message;
    }
    StringBuilder escaped = new StringBuilder(message.length() + 16).append(message, 0, first);
    for (int i = first; i < message.length(); i++) {
      char c = message.charAt(i);
      if (!isUnsafe(c)) {
        escaped.append(c);
      } else if (c == '\n') {
        escaped.append("\\n");
      } else if (c == '\r') {
        escaped.append("\\r");
      } else if (c == '\t') {
        escaped.append("\\t");
      } else {
        escaped.append(String.format("\\u%04x", (int) c));
      }
    }
    return escaped.toString();
  }

  private static int firstUnsafe(String message) {
    for (int i = 0; i < message.length(); i++) {
      if (isUnsafe(message.charAt(i))) {
        return i;
      }
    }
    return -1;
  }

  private static boolean isUnsafe(char c) {
    return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029';
  }
}
