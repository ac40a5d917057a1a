package io.agenthub.gateway;

import io.agenthub.config.HubConfig;
import io.agenthub.config.Setting;
import io.agenthub.protocol.ClientRole;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What the gateway reads of the configuration, and nothing else: a change to another verticle's settings leaves it
 * equal, so the gateway ignores it. The listener, TLS, compression and stall-timeout fields are read at start only
 * (restart-only settings); the rest applies to the next frame, registration or upgrade.
 */
record GatewaySettings(
    String host,
    int port,
    String publicWebSocketUrl,
    boolean tlsEnabled,
    String tlsCertFile,
    String tlsKeyFile,
    boolean webSocketCompression,
    Duration webSocketStallTimeout,
    List<String> corsAllowedOrigins,
    Map<ClientRole, List<String>> tokens,
    int maxFrameBytes,
    int maxNameLength,
    int maxConnections,
    int maxConnectionsPerAddress,
    TrustedProxies trustedProxies,
    Duration registrationTimeout,
    int registrationRateLimit,
    int registrationRateBurst,
    Duration registrationChurnWindow,
    int maxRegistrationsInFlight,
    Duration registrationMaxWait,
    int clientRateLimit,
    int clientRateBurst,
    long clientMaxUnreadChars,
    Duration publishConfirmTimeout,
    Duration deliveryTimeout,
    Duration clientResumeWindow,
    boolean monitorAllTraffic,
    int streamMaxChunkChars,
    int streamChunkRateLimit,
    int agentCardMaxBytes) {

  static GatewaySettings of(HubConfig config) {
    Map<ClientRole, List<String>> tokens = new EnumMap<>(ClientRole.class);
    for (ClientRole role : ClientRole.values()) {
      tokens.put(role, List.copyOf(config.strings(tokenSetting(role))));
    }
    return new GatewaySettings(
        config.string(Setting.HOST),
        config.integer(Setting.PORT),
        config.publicWebSocketUrl(),
        config.tlsEnabled(),
        config.string(Setting.TLS_CERT_FILE),
        config.string(Setting.TLS_KEY_FILE),
        config.flag(Setting.WEBSOCKET_COMPRESSION),
        config.duration(Setting.WEBSOCKET_STALL_TIMEOUT),
        List.copyOf(config.strings(Setting.CORS_ALLOWED_ORIGINS)),
        Map.copyOf(tokens),
        config.integer(Setting.MAX_FRAME_BYTES),
        config.integer(Setting.MAX_NAME_LENGTH),
        config.integer(Setting.MAX_CONNECTIONS),
        config.integer(Setting.MAX_CONNECTIONS_PER_ADDRESS),
        TrustedProxies.of(config.strings(Setting.TRUSTED_PROXIES)),
        config.duration(Setting.REGISTRATION_TIMEOUT),
        config.integer(Setting.REGISTRATION_RATE_LIMIT),
        config.integer(Setting.REGISTRATION_RATE_BURST),
        config.duration(Setting.REGISTRATION_CHURN_WINDOW),
        config.integer(Setting.MAX_REGISTRATIONS_IN_FLIGHT),
        config.duration(Setting.REGISTRATION_MAX_WAIT),
        config.integer(Setting.CLIENT_RATE_LIMIT),
        config.integer(Setting.CLIENT_RATE_BURST),
        config.integer(Setting.CLIENT_MAX_UNREAD_CHARS),
        config.duration(Setting.PUBLISH_CONFIRM_TIMEOUT_MS),
        config.duration(Setting.DELIVERY_TIMEOUT_MS),
        config.duration(Setting.CLIENT_RESUME_WINDOW),
        config.flag(Setting.MONITOR_ALL_TRAFFIC),
        config.integer(Setting.STREAM_MAX_CHUNK_CHARS),
        config.integer(Setting.STREAM_CHUNK_RATE_LIMIT),
        config.integer(Setting.AGENT_CARD_MAX_BYTES));
  }

  private static Setting tokenSetting(ClientRole role) {
    return switch (role) {
      case FRONTEND -> Setting.FRONTEND_TOKENS;
      case AGENT -> Setting.AGENT_TOKENS;
      case BROKER -> Setting.BROKER_TOKENS;
    };
  }

  /** The tokens that let a client register in that role; empty when the role needs none. */
  List<String> tokensFor(ClientRole role) {
    return tokens.get(role);
  }
}
