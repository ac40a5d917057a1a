package io.agenthub.gateway;

import io.agenthub.config.IpAddresses;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The hops a request passed on its way to the hub, as proxies record them in {@code X-Forwarded-For}
 * ({@code client, proxy1, proxy2}) or in RFC 7239's {@code Forwarded} ({@code for=client;proto=http, for=proxy1}),
 * left to right: the first is the original client, the last the hop the nearest proxy saw. Only headers that a
 * trusted proxy wrote are worth reading ({@link TrustedProxies}); these methods only take them apart.
 */
final class ForwardedHeaders {
  private ForwardedHeaders() {
  }

  /** The entries of every {@code X-Forwarded-For} header line, in order. */
  static List<String> xForwardedFor(List<String> headerValues) {
    List<String> hops = new ArrayList<>();
    for (String value : headerValues) {
      for (String entry : value.split(",", -1)) {
        hops.add(entry.trim());
      }
    }
    return hops;
  }

  /**
   * The {@code for=} node of every element of every {@code Forwarded} header line, in order, quotes removed; an
   * element without one counts as a hop of unknown address (an empty string), since a proxy wrote it.
   */
  static List<String> forwardedFor(List<String> headerValues) {
    List<String> hops = new ArrayList<>();
    for (String value : headerValues) {
      for (List<String> element : elements(value)) {
        hops.add(forNode(element));
      }
    }
    return hops;
  }

  /**
   * The address a node names: an IPv4 address, with a port if quoted ({@code "192.0.2.1:4711"}); an IPv6 address in
   * brackets, with or without a port ({@code "[2001:db8::1]:4711"}), or bare as X-Forwarded-For often has it. Null
   * for {@code unknown}, an obfuscated identifier ({@code _hidden}) or anything malformed.
   */
  static byte[] nodeAddress(String node) {
    String text = unquoted(node.trim());
    if (text.startsWith("[")) {
      int end = text.indexOf(']');
      return end > 0 && isPortOrNothing(text.substring(end + 1)) ? IpAddresses.parse(text.substring(1, end)) : null;
    }
    int colon = text.indexOf(':');
    boolean hostAndPort = colon >= 0 && text.indexOf(':', colon + 1) < 0;
    if (hostAndPort) {
      return isPortOrNothing(text.substring(colon)) ? IpAddresses.parse(text.substring(0, colon)) : null;
    }
    return IpAddresses.parse(text);
  }

  /** Empty, or {@code :} and a port number or an obfuscated port ({@code :_abc}). */
  private static boolean isPortOrNothing(String rest) {
    return rest.isEmpty() || rest.matches(":(\\d{1,5}|_[A-Za-z0-9._-]+)");
  }

  private static String forNode(List<String> pairs) {
    for (String pair : pairs) {
      int equals = pair.indexOf('=');
      if (equals > 0 && pair.substring(0, equals).trim().toLowerCase(Locale.ROOT).equals("for")) {
        return unquoted(pair.substring(equals + 1).trim());
      }
    }
    return "";
  }

  /** The elements of one header line (split at commas outside quotes), each as its pairs (split at semicolons). */
  private static List<List<String>> elements(String value) {
    List<List<String>> elements = new ArrayList<>();
    List<String> pairs = new ArrayList<>();
    StringBuilder pair = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '"') {
        quoted = !quoted;
      } else if (c == '\\' && quoted && i + 1 < value.length()) {
        pair.append(c).append(value.charAt(++i));
        continue;
      } else if (!quoted && (c == ';' || c == ',')) {
        pairs.add(pair.toString());
        pair.setLength(0);
        if (c == ',') {
          elements.add(pairs);
          pairs = new ArrayList<>();
        }
        continue;
      }
      pair.append(c);
    }
    pairs.add(pair.toString());
    elements.add(pairs);
    return elements;
  }

  /** The text of a quoted string (its backslash escapes resolved), or the text itself when it is not quoted. */
  private static String unquoted(String text) {
    if (text.length() < 2 || text.charAt(0) != '"' || text.charAt(text.length() - 1) != '"') {
      return text;
    }
    return text.substring(1, text.length() - 1).replaceAll("\\\\(.)", "$1");
  }
}
