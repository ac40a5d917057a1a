package io.agenthub.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Bytes sent from one local TCP port on its established connections, as the kernel counts them ({@code ss -ti}
 * {@code bytes_sent}): what went on the wire, after permessage-deflate if the sockets negotiated it, framing and
 * retransmissions included. Linux only; -1 where {@code ss} is missing.
 */
final class WireBytes {
  private static final Pattern BYTES_SENT = Pattern.compile("\\bbytes_sent:(\\d+)");

  private WireBytes() {
  }

  static long sentFrom(int port) {
    try {
      Process ss = new ProcessBuilder("ss", "-tinH", "state", "established", "( sport = :" + port + " )")
          .redirectErrorStream(true).start();
      String out = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (ss.waitFor() != 0) {
        return -1;
      }
      long sum = 0;
      Matcher sent = BYTES_SENT.matcher(out);
      while (sent.find()) {
        sum += Long.parseLong(sent.group(1));
      }
      return sum;
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }
}
