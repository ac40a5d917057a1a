package io.agenthub.gateway;

import io.agenthub.config.HubConfig;
import io.agenthub.protocol.ClientRole;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What the gateway reads of the configuration, and nothing else: a change to another verticle's settings leaves it
 * equal, so the gateway ignores it. The listener, TLS and compression fields are read at start only (restart-only
 * settings); the rest applies to the next frame, registration or upgrade.
 */
record GatewaySettings(
    String host,
    int port,
    String publicWebSocketUrl,
    boolean tlsEnabled,
    String tlsCertFile,
    String tlsKeyFile,
    boolean webSocketCompression,
    List<String> corsAllowedOrigins,
    Map<ClientRole, List<String>> tokens,
    int maxFrameBytes,
    int maxNameLength,
    int maxConnections,
    int maxConnectionsPerAddress,
    Duration registrationTimeout,
    int registrationRateLimit,
    int registrationRateBurst,
    int clientRateLimit,
    int clientRateBurst,
    long clientMaxUnreadChars,
    Duration publishConfirmTimeout,
    Duration deliveryTimeout) {

  static GatewaySettings of(HubConfig config) {
    Map<ClientRole, List<String>> tokens = new EnumMap<>(ClientRole.class);
    for (ClientRole role : ClientRole.values()) {
      tokens.put(role, List.copyOf(config.tokensFor(role)));
    }
    return new GatewaySettings(config.host(), config.port(), config.publicWebSocketUrl(), config.tlsEnabled(),
        config.tlsCertFile(), config.tlsKeyFile(), config.webSocketCompression(),
        List.copyOf(config.corsAllowedOrigins()), Map.copyOf(tokens), config.maxFrameBytes(), config.maxNameLength(),
        config.maxConnections(), config.maxConnectionsPerAddress(), config.registrationTimeout(),
        config.registrationRateLimit(), config.registrationRateBurst(), config.clientRateLimit(),
        config.clientRateBurst(), config.clientMaxUnreadChars(), config.publishConfirmTimeout(),
        config.deliveryTimeout());
  }

  /** The tokens that let a client register in that role; empty when the role needs none. */
  List<String> tokensFor(ClientRole role) {
    return tokens.get(role);
  }
}
