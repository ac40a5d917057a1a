package io.agenthub.config;

import io.netty.util.NetUtil;
import java.util.Arrays;

/**
 * IP address literals, read without any name lookup: IPv4 ({@code 192.0.2.1}) and IPv6 ({@code 2001:db8::1}, also
 * in brackets, a zone id dropped). An IPv4-mapped IPv6 address ({@code ::ffff:192.0.2.1}) is its IPv4 address, so a
 * client is one address however a dual-stack socket reports it. The text form is the canonical one (RFC 5952 for
 * IPv6), which the gateway uses as the key of its per-address rules.
 */
public final class IpAddresses {
  private static final int MAPPED_PREFIX_BYTES = 12;

  private IpAddresses() {
  }

  /** The address's 4 or 16 bytes, or null when the text is not an IP address literal. */
  public static byte[] parse(String text) {
    if (text == null || text.isEmpty()) {
      return null;
    }
    byte[] bytes = NetUtil.createByteArrayFromIpAddressString(text);
    return bytes != null && isIpv4Mapped(bytes) ? Arrays.copyOfRange(bytes, MAPPED_PREFIX_BYTES, 16) : bytes;
  }

  /** The canonical text of an address's 4 or 16 bytes. */
  public static String format(byte[] address) {
    return NetUtil.bytesToIpAddress(address);
  }

  /** The canonical text of an address literal, or the text itself when it is none (e.g. {@code unknown}). */
  public static String canonical(String text) {
    byte[] bytes = parse(text);
    return bytes == null ? text : format(bytes);
  }

  private static boolean isIpv4Mapped(byte[] bytes) {
    if (bytes.length != 16) {
      return false;
    }
    for (int i = 0; i < 10; i++) {
      if (bytes[i] != 0) {
        return false;
      }
    }
    return bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
  }
}
