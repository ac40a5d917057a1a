package io.agenthub.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AddressRangeTest {

  @Test
  void aRangeContainsTheAddressesOfItsPrefixAndNoOthers() {
    AddressRange range = AddressRange.parse("192.168.16.0/20").orElseThrow();
    assertTrue(range.contains(IpAddresses.parse("192.168.16.0")));
    assertTrue(range.contains(IpAddresses.parse("192.168.31.255")));
    assertFalse(range.contains(IpAddresses.parse("192.168.32.0")));
    assertFalse(range.contains(IpAddresses.parse("192.168.15.255")));
    assertFalse(range.contains(IpAddresses.parse("::ffff:c0a8:2000")), "IPv4-mapped 192.168.32.0");
    assertTrue(range.contains(IpAddresses.parse("::ffff:192.168.17.1")), "IPv4-mapped is IPv4");
  }

  @Test
  void ipv6RangesAndSingleAddresses() {
    AddressRange range = AddressRange.parse("2001:db8:abcd::/47").orElseThrow();
    assertTrue(range.contains(IpAddresses.parse("2001:db8:abcd:1::1")));
    assertTrue(range.contains(IpAddresses.parse("2001:db8:abcc::1")), "the 48th bit is free");
    assertFalse(range.contains(IpAddresses.parse("2001:db8:abce::1")));
    assertTrue(range.contains(IpAddresses.parse("2001:db8:abcd::")));
    assertFalse(range.contains(IpAddresses.parse("2001:db8:abcf::")));
    assertFalse(range.contains(IpAddresses.parse("10.0.0.1")), "an IPv4 address is never in an IPv6 range");
    AddressRange one = AddressRange.parse("::1").orElseThrow();
    assertTrue(one.contains(IpAddresses.parse("0:0:0:0:0:0:0:1")));
    assertFalse(one.contains(IpAddresses.parse("::2")));
  }

  @Test
  void zeroPrefixesMatchTheirWholeFamily() {
    assertTrue(AddressRange.parse("0.0.0.0/0").orElseThrow().contains(IpAddresses.parse("203.0.113.1")));
    assertFalse(AddressRange.parse("0.0.0.0/0").orElseThrow().contains(IpAddresses.parse("2001:db8::1")));
    assertTrue(AddressRange.parse("::/0").orElseThrow().contains(IpAddresses.parse("2001:db8::1")));
  }

  @Test
  void textIsCanonicalAndEqualRangesAreEqual() {
    assertEquals("10.0.0.0/8", AddressRange.parse("10.20.30.40/8").orElseThrow().toString());
    assertEquals("2001:db8::1", AddressRange.parse("[2001:DB8:0::1]").orElseThrow().toString());
    assertEquals("192.0.2.1", AddressRange.parse("::ffff:192.0.2.1").orElseThrow().toString());
    assertEquals(AddressRange.parse("10.0.0.0/8"), AddressRange.parse("10.255.0.0/8"));
  }

  @Test
  void whatIsNoAddressOrRangeIsRefused() {
    for (String invalid : new String[] {"", "/8", "10.0.0.0/33", "10.0.0.0/8/8", "10.0.0.0/08x", "localhost",
        "256.0.0.1", "::/129", "10.0.0.0/ 8a", "1.2.3.4:80"}) {
      assertTrue(AddressRange.parse(invalid).isEmpty(), invalid);
    }
  }
}
