package io.agenthub.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Who the client is: behind a trusted proxy, the right-most hop of X-Forwarded-For (or Forwarded) that is not itself
 * trusted; from anyone else, the connection's peer, whatever the headers say.
 */
class TrustedProxiesTest {
  private static final TrustedProxies PROXIES = TrustedProxies.of(List.of("10.0.0.0/8", "2001:db8:ff::/48", "::1"));
  private static final List<String> NONE = List.of();

  @Test
  void aClientThatIsNoTrustedProxyIsItsOwnAddressWhateverItsHeadersSay() {
    assertEquals("198.51.100.7", xff("198.51.100.7", "203.0.113.9"));
    assertEquals("198.51.100.7", forwarded("198.51.100.7", "for=203.0.113.9"));
    assertEquals("198.51.100.7", TrustedProxies.of(NONE).clientAddress("198.51.100.7", NONE, List.of("1.2.3.4")));
  }

  @Test
  void behindATrustedProxyTheClientIsTheRightMostHopThatIsNotTrusted() {
    assertEquals("203.0.113.9", xff("10.0.0.1", "203.0.113.9"));
    assertEquals("203.0.113.9", xff("10.0.0.1", "192.0.2.66, 203.0.113.9, 10.1.1.1, 10.2.2.2"),
        "the forged 192.0.2.66 left of the client is not believed; the proxies right of it are passed over");
    assertEquals("203.0.113.9", xff("10.0.0.1", "192.0.2.66", "203.0.113.9 , 10.1.1.1"), "several header lines");
    assertEquals("2001:db8::1", xff("::1", "2001:db8:0:0::1"), "canonical IPv6");
    assertEquals("203.0.113.9", xff("::ffff:10.0.0.1", "::ffff:203.0.113.9"), "IPv4-mapped addresses are IPv4");
  }

  @Test
  void whenEveryHopIsTrustedTheLeftMostIsTheClient() {
    assertEquals("10.3.3.3", xff("10.0.0.1", "10.3.3.3, 10.2.2.2"));
  }

  @Test
  void withoutHeadersOrWithEmptyOnesTheTrustedPeerItselfIsTheClient() {
    assertEquals("10.0.0.1", PROXIES.clientAddress("10.0.0.1", NONE, NONE));
    assertEquals("10.0.0.1", xff("10.0.0.1", ""));
  }

  @Test
  void aHopThatNamesNoAddressEndsTheWalkAtTheLastAddressKnown() {
    assertEquals("10.0.0.1", xff("10.0.0.1", "203.0.113.9, unknown"));
    assertEquals("10.2.2.2", xff("10.0.0.1", "203.0.113.9, _hidden, 10.2.2.2"));
    assertEquals("10.0.0.1", xff("10.0.0.1", "203.0.113.9, not-an-address"));
    assertEquals("10.0.0.1", xff("10.0.0.1", "203.0.113.9, 999.1.1.1"));
    assertEquals("10.0.0.1", forwarded("10.0.0.1", "for=203.0.113.9, by=10.0.0.1;proto=https"),
        "an element without for= is a hop of unknown address");
  }

  @Test
  void portsAndBracketsAreUnderstood() {
    assertEquals("203.0.113.9", xff("10.0.0.1", "203.0.113.9:4711"));
    assertEquals("2001:db8::1", xff("10.0.0.1", "[2001:db8::1]:4711"));
    assertEquals("2001:db8::1", xff("10.0.0.1", "[2001:db8::1]"));
    assertEquals("10.0.0.1", xff("10.0.0.1", "[2001:db8::1]x"), "garbage after the bracket");
    assertEquals("10.0.0.1", xff("10.0.0.1", "203.0.113.9:http"), "a port that is none");
  }

  @Test
  void forwardedIsReadAsRfc7239WritesIt() {
    assertEquals("2001:db8::1", forwarded("10.0.0.1", "for=\"[2001:db8::1]:4711\""));
    assertEquals("203.0.113.9", forwarded("10.0.0.1", "for=192.0.2.43, For=\"203.0.113.9:_port\";proto=http"));
    assertEquals("203.0.113.9", forwarded("10.0.0.1", "proto=https;for=203.0.113.9;by=\"[2001:db8::9]\""));
    assertEquals("203.0.113.9", forwarded("10.0.0.1", "for=203.0.113.9;host=\"a,b;c\", for=10.9.9.9"),
        "commas and semicolons inside quotes separate nothing");
    assertEquals("10.0.0.1", forwarded("10.0.0.1", "for=_hidden"), "an obfuscated client is the proxy's");
    assertEquals("10.0.0.1", forwarded("10.0.0.1", "for=unknown"));
    assertEquals("10.0.0.1", forwarded("10.0.0.1", "for=\"unterminated"));
  }

  @Test
  void xForwardedForWinsOverForwardedWhenBothAreThere() {
    assertEquals("203.0.113.9",
        PROXIES.clientAddress("10.0.0.1", List.of("for=192.0.2.66"), List.of("203.0.113.9")));
  }

  @Test
  void anAddressOutsideEveryRangeIsNotTrusted() {
    assertEquals("11.0.0.1", xff("11.0.0.1", "203.0.113.9"));
    assertEquals("2001:db8:fe::1", xff("2001:db8:fe::1", "203.0.113.9"));
    assertEquals("203.0.113.9", xff("2001:db8:ff:1::1", "203.0.113.9"));
    assertEquals("::2", xff("::2", "203.0.113.9"));
  }

  @Test
  void aPeerThatIsNoAddressIsKeptAsItIs() {
    assertEquals("unknown", PROXIES.clientAddress("unknown", NONE, List.of("203.0.113.9")));
  }

  private static String xff(String peer, String... lines) {
    return PROXIES.clientAddress(peer, NONE, List.of(lines));
  }

  private static String forwarded(String peer, String... lines) {
    return PROXIES.clientAddress(peer, List.of(lines), NONE);
  }
}
