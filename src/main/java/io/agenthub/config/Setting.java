package io.agenthub.config;

import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Every setting the hub reads: its key (the same in {@code conf/} files, {@code .env}, the environment and system
 * properties), its type and range, its built-in default, and whether a running hub applies a change live. The
 * defaults are compiled in, so the jar starts with no conf folder at all; {@code conf/hub.json} repeats them as the
 * documented example, and a test keeps the two equal.
 */
public enum Setting {
  HOST(Type.STRING, Apply.RESTART, "0.0.0.0", "Address the HTTP/WebSocket server binds to"),
  PORT(Type.count(0, 65_535), Apply.RESTART, 8765, "Port of the HTTP/WebSocket server (0 picks a free port)"),
  TLS_CERT_FILE(Type.OPTIONAL_STRING, Apply.RESTART, "",
      "PEM certificate (chain) file for wss:// (empty: plain ws://); needs TLS_KEY_FILE"),
  TLS_KEY_FILE(Type.OPTIONAL_STRING, Apply.RESTART, "", "PEM private key file for wss:// (empty: plain ws://); needs TLS_CERT_FILE"),
  WEBSOCKET_HOST(Type.STRING, Apply.LIVE, "localhost", "Host in the WebSocket URL clients are told about"),
  WEBSOCKET_PORT(Type.PORT, Apply.LIVE, 8765, "Port in the WebSocket URL clients are told about"),
  RABBITMQ_HOST(Type.STRING, Apply.LIVE, "localhost", "RabbitMQ host"),
  RABBITMQ_PORT(Type.PORT, Apply.LIVE, 5672, "RabbitMQ port"),
  RABBITMQ_USER(Type.STRING, Apply.LIVE, "guest", "RabbitMQ user"),
  RABBITMQ_PASSWORD(Type.SECRET, Apply.LIVE, "guest", "RabbitMQ password"),
  RABBITMQ_VHOST(Type.STRING, Apply.LIVE, "/", "RabbitMQ virtual host"),
  RABBITMQ_MODE(Type.RABBITMQ_MODE, Apply.RESTART, "auto",
      "auto: the RabbitMQ at RABBITMQ_HOST:RABBITMQ_PORT, or an embedded in-memory broker on that loopback port when "
          + "nothing answers there at start-up (not clustered); external: never embed; embedded: always embed"),
  RABBITMQ_PREFETCH(Type.count(1, 65_535), Apply.LIVE, 256, "Unacknowledged deliveries the hub holds at once"),
  RABBITMQ_RECONNECT_MIN_MS(Type.count(10, 600_000), Apply.LIVE, 250, "First reconnect delay after losing RabbitMQ"),
  RABBITMQ_RECONNECT_MAX_MS(Type.count(10, 600_000), Apply.LIVE, 500,
      "Longest reconnect delay (exponential backoff); round trips come back at most this long after RabbitMQ does"),
  PUBLISH_CONFIRM_TIMEOUT_MS(Type.count(100, 600_000), Apply.LIVE, 5000, "How long a publish may wait for its confirm"),
  DELIVERY_TIMEOUT_MS(Type.count(100, 600_000), Apply.LIVE, 10000, "How long a delivery to a socket may take before it is dead-lettered"),
  AGENT_INACTIVITY_TIMEOUT(Type.SECONDS, Apply.LIVE, 15, "Seconds without PONG before an agent is marked offline"),
  AGENT_PING_INTERVAL(Type.SECONDS, Apply.LIVE, 10, "Seconds between PINGs to each agent"),
  PERIODIC_STATUS_INTERVAL(Type.SECONDS, Apply.LIVE, 60, "Seconds between full AGENT_STATUS_UPDATEs"),
  SERVER_HEARTBEAT_INTERVAL(Type.SECONDS, Apply.LIVE, 10, "Seconds between SERVER_HEARTBEATs to every client"),
  MONITOR_ALL_TRAFFIC(Type.BOOLEAN, Apply.LIVE, true, "Send frontends a copy of all chat traffic"),
  CORS_ALLOWED_ORIGINS(Type.LIST, Apply.LIVE, "*", "Origins allowed for HTTP and WebSocket upgrades; * allows all"),
  MAX_FRAME_BYTES(Type.count(256, 1_048_576), Apply.LIVE, 65536, "Largest accepted text frame in bytes"),
  WEBSOCKET_COMPRESSION(Type.BOOLEAN, Apply.RESTART, false,
      "Accept permessage-deflate (RFC 7692), always with no context takeover on both sides"),
  MAX_CONNECTIONS(Type.count(1, 10_000_000), Apply.LIVE, 50000,
      "WebSockets this instance holds at most; further upgrades get HTTP 503 with Retry-After"),
  MAX_CONNECTIONS_PER_ADDRESS(Type.count(1, 10_000_000), Apply.LIVE, 20000,
      "WebSockets one remote IP address may hold on this instance; further upgrades get HTTP 429"),
  REGISTRATION_TIMEOUT(Type.SECONDS, Apply.LIVE, 30,
      "Seconds a socket may stay open without registering before it is closed (1008)"),
  CLIENT_RATE_LIMIT(Type.count(0, 1_000_000), Apply.LIVE, 200, "Frames per second one client may send (0 = unlimited)"),
  CLIENT_RATE_BURST(Type.count(1, 1_000_000), Apply.LIVE, 400, "Frames a client may send in a burst above its rate"),
  CLIENT_MAX_UNREAD_CHARS(Type.count(65_536, 1_073_741_824), Apply.LIVE, 8388608,
      "Characters of JSON text that may wait for a client behind the frame being sent before it is closed as too slow (1008)"),
  MAX_NAME_LENGTH(Type.count(1, 4_096), Apply.LIVE, 128,
      "Longest frontend, agent or broker name accepted at registration, in Unicode characters (code points)"),
  REGISTRATION_RATE_LIMIT(Type.count(0, 1_000_000), Apply.LIVE, 20,
      "Registrations per second one remote address may make on one instance (0 = unlimited)"),
  REGISTRATION_RATE_BURST(Type.count(1, 1_000_000), Apply.LIVE, 200,
      "Registrations one remote address may make in a burst above its rate"),
  OFFLINE_AGENT_RETENTION(new Type(Type.Kind.SECONDS, 0, 31_536_000), Apply.LIVE, 604800,
      "Seconds an offline agent stays listed after it was last seen; then it is forgotten"),
  MAX_OFFLINE_AGENTS(Type.count(1, 10_000_000), Apply.LIVE, 10000,
      "Offline agents listed at most; beyond it the longest-offline ones are forgotten"),
  CLIENT_RESUME_WINDOW(Type.count(0, 3_600), Apply.LIVE, 120,
      "Seconds a frontend or broker that went away may take its id and missed messages back (0 = no resume)"),
  FRONTEND_TOKENS(Type.SECRET_LIST, Apply.LIVE, "", "Tokens a frontend may register with (empty: none needed)"),
  AGENT_TOKENS(Type.SECRET_LIST, Apply.LIVE, "", "Tokens an agent may register with (empty: none needed)"),
  BROKER_TOKENS(Type.SECRET_LIST, Apply.LIVE, "", "Tokens a broker may register with (empty: none needed)"),
  LOG_LEVEL(Type.LOG_LEVEL, Apply.LIVE, "INFO", "Level of the io.agenthub loggers"),
  LOGGER_LEVELS(Type.LOGGER_LEVELS, Apply.LIVE, "", "Levels of other loggers, e.g. io.vertx=DEBUG,com.hazelcast=INFO"),
  CONFIG_SCAN_PERIOD_MS(Type.count(100, 3_600_000), Apply.RESTART, 2000, "How often conf/ is checked for changes"),
  CLUSTER_ENABLED(Type.BOOLEAN, Apply.RESTART, false, "Join a Hazelcast cluster of hub instances"),
  CLUSTER_HOST(Type.STRING, Apply.RESTART, "127.0.0.1", "Address Hazelcast and the event bus bind to and advertise"),
  CLUSTER_PORT(Type.PORT, Apply.RESTART, 5701, "Hazelcast member port"),
  CLUSTER_MEMBERS(Type.LIST, Apply.RESTART, "", "Seed members host:port, comma-separated (TCP/IP join)");

  /** Whether a running hub applies a change of the setting, or only logs that it needs a restart. */
  public enum Apply { LIVE, RESTART }

  private final Type type;
  private final Apply apply;
  private final Object defaultValue;
  private final String description;

  /** {@code defaultValue} is written as in a conf file (seconds as numbers, lists as comma-separated strings). */
  Setting(Type type, Apply apply, Object defaultValue, String description) {
    this.type = type;
    this.apply = apply;
    this.defaultValue = defaultValue;
    this.description = description;
  }

  public Type type() {
    return type;
  }

  public Apply apply() {
    return apply;
  }

  public String description() {
    return description;
  }

  /** The built-in default, as a conf file would write it. */
  public Object defaultValue() {
    return defaultValue;
  }

  /** Every built-in default: the lowest-precedence configuration source, shipped inside the jar. */
  public static JsonObject defaults() {
    JsonObject defaults = new JsonObject();
    for (Setting setting : values()) {
      defaults.put(setting.name(), setting.defaultValue);
    }
    return defaults;
  }

  public static Optional<Setting> byKey(String key) {
    return Arrays.stream(values()).filter(s -> s.name().equals(key)).findFirst();
  }

  public static List<String> keys() {
    return Arrays.stream(values()).map(Enum::name).toList();
  }

  /** The kinds of value a setting takes, each with the text that says what is allowed. */
  public record Type(Kind kind, long min, long max) {
    enum Kind {
      STRING, OPTIONAL_STRING, SECRET, INTEGER, SECONDS, BOOLEAN, LIST, SECRET_LIST, LOG_LEVEL, LOGGER_LEVELS,
      RABBITMQ_MODE;

      boolean isSecret() {
        return this == SECRET || this == SECRET_LIST;
      }
    }

    static final Type STRING = new Type(Kind.STRING, 0, 0);
    static final Type OPTIONAL_STRING = new Type(Kind.OPTIONAL_STRING, 0, 0);
    static final Type SECRET = new Type(Kind.SECRET, 0, 0);
    static final Type PORT = count(1, 65_535);
    static final Type SECONDS = new Type(Kind.SECONDS, 0, 86_400);
    static final Type BOOLEAN = new Type(Kind.BOOLEAN, 0, 0);
    static final Type LIST = new Type(Kind.LIST, 0, 0);
    static final Type SECRET_LIST = new Type(Kind.SECRET_LIST, 0, 0);
    static final Type LOG_LEVEL = new Type(Kind.LOG_LEVEL, 0, 0);
    static final Type LOGGER_LEVELS = new Type(Kind.LOGGER_LEVELS, 0, 0);
    static final Type RABBITMQ_MODE = new Type(Kind.RABBITMQ_MODE, 0, 0);

    static Type count(long min, long max) {
      return new Type(Kind.INTEGER, min, max);
    }

    public String allowed() {
      return switch (kind) {
        case STRING, SECRET -> "a non-empty string";
        case OPTIONAL_STRING -> "a string (empty for none)";
        case INTEGER -> "an integer from " + min + " to " + max;
        case SECONDS -> "a number of seconds greater than 0 and at most " + max;
        case BOOLEAN -> "true or false";
        case LIST, SECRET_LIST -> "a comma-separated string or a JSON array of strings";
        case LOG_LEVEL -> "one of TRACE, DEBUG, INFO, WARN, ERROR";
        case LOGGER_LEVELS -> "comma-separated logger=LEVEL pairs, LEVEL one of TRACE, DEBUG, INFO, WARN, ERROR";
        case RABBITMQ_MODE -> "one of auto, external, embedded";
      };
    }
  }
}
