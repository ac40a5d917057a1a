package io.agenthub.gateway;

import io.agenthub.config.AddressRange;
import io.agenthub.config.IpAddresses;
import java.util.List;

/**
 * TRUSTED_PROXIES, and who a client really is. A connection from a trusted proxy carries its client's address in
 * {@code X-Forwarded-For} or, when a proxy sets only that, in {@code Forwarded}: walking the recorded hops from the
 * right, each trusted one is passed over, and the first that is not trusted is the client. A hop that names no
 * address ({@code unknown}, an obfuscated identifier, garbage) ends the walk at the last address known, since what
 * lies left of it was written by someone no trusted proxy vouches for. From any other peer the headers are ignored:
 * anyone can send them. The PROXY protocol is not read (it would refuse every client that connects directly).
 */
record TrustedProxies(List<AddressRange> ranges) {

  /** {@code entries} as the configuration validated them. */
  static TrustedProxies of(List<String> entries) {
    return new TrustedProxies(entries.stream().map(e -> AddressRange.parse(e).orElseThrow()).toList());
  }

  /**
   * The client's address, canonical ({@link IpAddresses}), of a connection from {@code peer} whose upgrade request
   * had these {@code Forwarded} and {@code X-Forwarded-For} header lines (empty lists when absent).
   */
  String clientAddress(String peer, List<String> forwarded, List<String> xForwardedFor) {
    byte[] peerAddress = IpAddresses.parse(peer);
    if (peerAddress == null) {
      return peer;
    }
    String nearest = IpAddresses.format(peerAddress);
    if (!trusts(peerAddress)) {
      return nearest;
    }
    List<String> hops = xForwardedFor.isEmpty()
        ? ForwardedHeaders.forwardedFor(forwarded) : ForwardedHeaders.xForwardedFor(xForwardedFor);
    for (int i = hops.size() - 1; i >= 0; i--) {
      byte[] hop = ForwardedHeaders.nodeAddress(hops.get(i));
      if (hop == null) {
        return nearest;
      }
      nearest = IpAddresses.format(hop);
      if (!trusts(hop)) {
        return nearest;
      }
    }
    return nearest;
  }

  private boolean trusts(byte[] address) {
    for (AddressRange range : ranges) {
      if (range.contains(address)) {
        return true;
      }
    }
    return false;
  }
}
