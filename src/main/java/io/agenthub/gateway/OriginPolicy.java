package io.agenthub.gateway;

import java.util.List;

/**
 * Which browser origins may open a WebSocket or call the HTTP endpoints. {@code *} allows every origin; a request
 * without an {@code Origin} header (agents, brokers, command-line clients) is not a browser request and is allowed.
 */
record OriginPolicy(List<String> allowedOrigins) {

  boolean allowsAll() {
    return allowedOrigins.contains("*");
  }

  boolean allows(String origin) {
    return origin == null || allowsAll() || allowedOrigins.contains(origin);
  }
}
