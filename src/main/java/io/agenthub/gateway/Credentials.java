package io.agenthub.gateway;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/**
 * Protocol extension "credentials": when tokens are configured for a role, registering in it takes one of them, in
 * the registration's {@code token} field or as {@code Authorization: Bearer} on the upgrade request.
 */
final class Credentials {
  private static final String BEARER = "Bearer ";

  private Credentials() {
  }

  /**
   * The token a client presented: the registration's own field first, else the {@code Authorization} header
   * (nullable) of the upgrade request.
   */
  static String presented(JsonObject registration, String authorization) {
    if (registration.getValue("token") instanceof String token) {
      return token;
    }
    return authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())
        ? authorization.substring(BEARER.length()).trim()
        : null;
  }

  /** No tokens configured means the role needs none; comparisons take the same time whatever the token. */
  static boolean accepts(List<String> tokens, String presented) {
    if (tokens.isEmpty()) {
      return true;
    }
    if (presented == null) {
      return false;
    }
    byte[] candidate = presented.getBytes(StandardCharsets.UTF_8);
    boolean accepted = false;
    for (String token : tokens) {
      accepted |= MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8), candidate);
    }
    return accepted;
  }
}
