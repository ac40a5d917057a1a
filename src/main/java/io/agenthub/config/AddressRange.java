package io.agenthub.config;

import java.util.Arrays;
import java.util.Optional;

/**
 * One entry of {@code TRUSTED_PROXIES}: an IP address, or a CIDR range ({@code 10.0.0.0/8}, {@code 2001:db8::/32}).
 * An IPv4 range matches IPv4 addresses only, an IPv6 range IPv6 addresses only (IPv4-mapped ones are IPv4, see
 * {@link IpAddresses}). Bits beyond the prefix are ignored: {@code 10.1.2.3/8} is {@code 10.0.0.0/8}.
 */
public final class AddressRange {
  private final byte[] network;
  private final int prefixBits;

  private AddressRange(byte[] network, int prefixBits) {
    this.network = network;
    this.prefixBits = prefixBits;
  }

  /** The range, or empty when the text is neither an address nor {@code address/prefix} with a prefix in range. */
  public static Optional<AddressRange> parse(String text) {
    int slash = text.indexOf('/');
    byte[] address = IpAddresses.parse(slash < 0 ? text.trim() : text.substring(0, slash).trim());
    if (address == null) {
      return Optional.empty();
    }
    int maxBits = address.length * 8;
    int prefix = maxBits;
    if (slash >= 0) {
      String bits = text.substring(slash + 1).trim();
      if (!bits.matches("\\d{1,3}") || Integer.parseInt(bits) > maxBits) {
        return Optional.empty();
      }
      prefix = Integer.parseInt(bits);
    }
    return Optional.of(new AddressRange(masked(address, prefix), prefix));
  }

  /** Whether the address (4 or 16 bytes, as {@link IpAddresses#parse} gives it) lies in this range. */
  public boolean contains(byte[] address) {
    return address.length == network.length && Arrays.equals(masked(address, prefixBits), network);
  }

  private static byte[] masked(byte[] address, int prefixBits) {
    byte[] masked = address.clone();
    for (int i = 0; i < masked.length; i++) {
      int bitsKept = Math.max(0, Math.min(8, prefixBits - i * 8));
      masked[i] &= (byte) (0xff << (8 - bitsKept));
    }
    return masked;
  }

  /** {@code address/prefix}, the address alone when the range is one address. */
  @Override
  public String toString() {
    String address = IpAddresses.format(network);
    return prefixBits == network.length * 8 ? address : address + "/" + prefixBits;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof AddressRange range && range.prefixBits == prefixBits
        && Arrays.equals(range.network, network);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(network) + prefixBits;
  }
}
