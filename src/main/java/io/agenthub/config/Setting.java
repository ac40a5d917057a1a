package io.agenthub.config;

import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Every setting the hub reads: its key (the same in {@code conf/} files, {@code .env}, the environment and system
 * properties), its type and range, its built-in default, and whether a running hub applies a change live. The
 * defaults are compiled in, so the jar starts with no conf folder at all; {@code conf/hub.json} repeats them as the
 * documented example, and a test keeps the two equal. What each one means is said once, in README's settings
 * table, which a test keeps in step with the keys, defaults and modes here.
 */
public enum Setting {
  HOST(Type.STRING, Apply.RESTART, "0.0.0.0"),
  PORT(Type.count(0, 65_535), Apply.RESTART, 8765),
  TLS_CERT_FILE(Type.OPTIONAL_STRING, Apply.RESTART, ""),
  TLS_KEY_FILE(Type.OPTIONAL_STRING, Apply.RESTART, ""),
  WEBSOCKET_HOST(Type.STRING, Apply.LIVE, "localhost"),
  WEBSOCKET_PORT(Type.PORT, Apply.LIVE, 8765),
  RABBITMQ_HOST(Type.STRING, Apply.LIVE, "localhost"),
  RABBITMQ_PORT(Type.PORT, Apply.LIVE, 5672),
  RABBITMQ_USER(Type.STRING, Apply.LIVE, "guest"),
  RABBITMQ_PASSWORD(Type.SECRET, Apply.LIVE, "guest"),
  RABBITMQ_VHOST(Type.STRING, Apply.LIVE, "/"),
  RABBITMQ_MODE(Type.RABBITMQ_MODE, Apply.RESTART, "auto"),
  RABBITMQ_PREFETCH(Type.count(1, 65_535), Apply.LIVE, 256),
  RABBITMQ_RECONNECT_MIN_MS(Type.millis(10, 600_000), Apply.LIVE, 250),
  RABBITMQ_RECONNECT_MAX_MS(Type.millis(10, 600_000), Apply.LIVE, 500),
  PUBLISH_CONFIRM_TIMEOUT_MS(Type.millis(100, 600_000), Apply.LIVE, 5000),
  DELIVERY_TIMEOUT_MS(Type.millis(100, 600_000), Apply.LIVE, 10000),
  AGENT_INACTIVITY_TIMEOUT(Type.SECONDS, Apply.LIVE, 15),
  AGENT_PING_INTERVAL(Type.SECONDS, Apply.LIVE, 10),
  PERIODIC_STATUS_INTERVAL(Type.SECONDS, Apply.LIVE, 60),
  SERVER_HEARTBEAT_INTERVAL(Type.SECONDS, Apply.LIVE, 10),
  MONITOR_ALL_TRAFFIC(Type.BOOLEAN, Apply.LIVE, true),
  CORS_ALLOWED_ORIGINS(Type.LIST, Apply.LIVE, "*"),
  MAX_FRAME_BYTES(Type.count(256, 1_048_576), Apply.LIVE, 65536),
  WEBSOCKET_COMPRESSION(Type.BOOLEAN, Apply.RESTART, false),
  WEBSOCKET_STALL_TIMEOUT(Type.SECONDS, Apply.RESTART, 60),
  MAX_CONNECTIONS(Type.count(1, 10_000_000), Apply.LIVE, 50000),
  MAX_CONNECTIONS_PER_ADDRESS(Type.count(1, 10_000_000), Apply.LIVE, 20000),
  TRUSTED_PROXIES(Type.ADDRESS_RANGES, Apply.LIVE, ""),
  REGISTRATION_TIMEOUT(Type.SECONDS, Apply.LIVE, 30),
  CLIENT_RATE_LIMIT(Type.count(0, 1_000_000), Apply.LIVE, 200),
  CLIENT_RATE_BURST(Type.count(1, 1_000_000), Apply.LIVE, 400),
  CLIENT_MAX_UNREAD_CHARS(Type.count(65_536, 1_073_741_824), Apply.LIVE, 8388608),
  MAX_NAME_LENGTH(Type.count(1, 4_096), Apply.LIVE, 128),
  REGISTRATION_RATE_LIMIT(Type.count(0, 1_000_000), Apply.LIVE, 20),
  REGISTRATION_RATE_BURST(Type.count(1, 1_000_000), Apply.LIVE, 200),
  REGISTRATION_CHURN_WINDOW(Type.SECONDS, Apply.LIVE, 5),
  MAX_REGISTRATIONS_IN_FLIGHT(Type.count(1, 100_000), Apply.LIVE, 256),
  REGISTRATION_MAX_WAIT(Type.SECONDS, Apply.LIVE, 10),
  OFFLINE_AGENT_RETENTION(Type.secondsUpTo(31_536_000), Apply.LIVE, 604800),
  MAX_OFFLINE_AGENTS(Type.count(1, 10_000_000), Apply.LIVE, 10000),
  CLIENT_RESUME_WINDOW(Type.wholeSeconds(0, 3_600), Apply.LIVE, 120),
  FRONTEND_TOKENS(Type.SECRET_LIST, Apply.LIVE, ""),
  AGENT_TOKENS(Type.SECRET_LIST, Apply.LIVE, ""),
  BROKER_TOKENS(Type.SECRET_LIST, Apply.LIVE, ""),
  STREAM_IDLE_TIMEOUT(Type.SECONDS, Apply.LIVE, 30),
  STREAM_CANCEL_TIMEOUT(Type.SECONDS, Apply.LIVE, 5),
  STREAM_MAX_CHARS(Type.count(1, 1_073_741_824), Apply.LIVE, 1048576),
  STREAM_MAX_CHUNK_CHARS(Type.count(1, 1_048_576), Apply.LIVE, 16384),
  STREAM_CHUNK_RATE_LIMIT(Type.count(0, 1_000_000), Apply.LIVE, 2000),
  STREAM_MAX_AGE(Type.SECONDS, Apply.LIVE, 600),
  STREAM_RETENTION(Type.SECONDS, Apply.LIVE, 300),
  STREAM_MAX_OPEN_PER_AGENT(Type.count(1, 1_000_000), Apply.LIVE, 256),
  STREAM_ASK_TTL(Type.SECONDS, Apply.LIVE, 3600),
  STREAM_STORE_MAX_CHARS(Type.count(1_024, 2_000_000_000), Apply.RESTART, 67108864),
  OPERATOR_TOKENS(Type.SECRET_LIST, Apply.LIVE, ""),
  AGENT_CARD_MAX_BYTES(Type.count(256, 1_048_576), Apply.LIVE, 16384),
  AGENT_LOAD_INTERVAL(Type.SECONDS, Apply.LIVE, 1),
  AGENT_STALE_AFTER(Type.SECONDS, Apply.LIVE, 60),
  AGENT_UNANSWERED_TTL(Type.SECONDS, Apply.LIVE, 600),
  LOG_LEVEL(Type.LOG_LEVEL, Apply.LIVE, "INFO"),
  LOGGER_LEVELS(Type.LOGGER_LEVELS, Apply.LIVE, ""),
  CONFIG_SCAN_PERIOD_MS(Type.millis(100, 3_600_000), Apply.RESTART, 2000),
  CLUSTER_ENABLED(Type.BOOLEAN, Apply.RESTART, false),
  CLUSTER_HOST(Type.STRING, Apply.RESTART, "127.0.0.1"),
  CLUSTER_PORT(Type.PORT, Apply.RESTART, 5701),
  CLUSTER_MEMBERS(Type.LIST, Apply.RESTART, "");

  /** Whether a running hub applies a change of the setting, or only logs that it needs a restart. */
  public enum Apply { LIVE, RESTART }

  private final Type type;
  private final Apply apply;
  private final Object defaultValue;

  /** {@code defaultValue} is written as in a conf file (seconds as numbers, lists as comma-separated strings). */
  Setting(Type type, Apply apply, Object defaultValue) {
    this.type = type;
    this.apply = apply;
    this.defaultValue = defaultValue;
  }

  public Type type() {
    return type;
  }

  public Apply apply() {
    return apply;
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

  /**
   * What a setting is read as, whatever its unit in configuration: each has one read in {@link HubConfig}
   * ({@code string}, {@code integer}, {@code duration}, {@code flag}, {@code strings}, {@code mode}), and reading a
   * setting as anything else fails.
   */
  public enum Value { TEXT, INTEGER, DURATION, FLAG, LIST, RABBITMQ_MODE }

  /** The kinds of value a setting takes, each with the text that says what is allowed. */
  public record Type(Kind kind, long min, long max) {
    enum Kind {
      STRING(Value.TEXT), OPTIONAL_STRING(Value.TEXT), SECRET(Value.TEXT), INTEGER(Value.INTEGER),
      /** An integer number of milliseconds ({@code *_MS}). */
      MILLIS(Value.DURATION),
      /** An integer number of seconds. */
      WHOLE_SECONDS(Value.DURATION),
      /** A number of seconds, fractions allowed. */
      SECONDS(Value.DURATION),
      BOOLEAN(Value.FLAG), LIST(Value.LIST), SECRET_LIST(Value.LIST), LOG_LEVEL(Value.TEXT),
      /** A list of IP addresses and CIDR ranges ({@link AddressRange}), each normalised. */
      ADDRESS_RANGES(Value.LIST),
      LOGGER_LEVELS(Value.LIST), RABBITMQ_MODE(Value.RABBITMQ_MODE);

      private final Value value;

      Kind(Value value) {
        this.value = value;
      }

      boolean isSecret() {
        return this == SECRET || this == SECRET_LIST;
      }
    }

    static final Type STRING = new Type(Kind.STRING, 0, 0);
    static final Type OPTIONAL_STRING = new Type(Kind.OPTIONAL_STRING, 0, 0);
    static final Type SECRET = new Type(Kind.SECRET, 0, 0);
    static final Type PORT = count(1, 65_535);
    static final Type SECONDS = secondsUpTo(86_400);
    static final Type BOOLEAN = new Type(Kind.BOOLEAN, 0, 0);
    static final Type LIST = new Type(Kind.LIST, 0, 0);
    static final Type SECRET_LIST = new Type(Kind.SECRET_LIST, 0, 0);
    static final Type ADDRESS_RANGES = new Type(Kind.ADDRESS_RANGES, 0, 0);
    static final Type LOG_LEVEL = new Type(Kind.LOG_LEVEL, 0, 0);
    static final Type LOGGER_LEVELS = new Type(Kind.LOGGER_LEVELS, 0, 0);
    static final Type RABBITMQ_MODE = new Type(Kind.RABBITMQ_MODE, 0, 0);

    static Type count(long min, long max) {
      return new Type(Kind.INTEGER, min, max);
    }

    /** Configured as an integer number of milliseconds, read as a duration. */
    static Type millis(long min, long max) {
      return new Type(Kind.MILLIS, min, max);
    }

    /** Configured as an integer number of seconds, read as a duration. */
    static Type wholeSeconds(long min, long max) {
      return new Type(Kind.WHOLE_SECONDS, min, max);
    }

    /** Configured as a number of seconds greater than 0 (fractions allowed), read as a duration. */
    static Type secondsUpTo(long max) {
      return new Type(Kind.SECONDS, 0, max);
    }

    /** What the setting is read as. */
    public Value value() {
      return kind.value;
    }

    public String allowed() {
      return switch (kind) {
        case STRING, SECRET -> "a non-empty string";
        case OPTIONAL_STRING -> "a string (empty for none)";
        case INTEGER, MILLIS, WHOLE_SECONDS -> "an integer from " + min + " to " + max;
        case SECONDS -> "a number of seconds greater than 0 and at most " + max;
        case BOOLEAN -> "true or false";
        case LIST, SECRET_LIST -> "a comma-separated string or a JSON array of strings";
        case ADDRESS_RANGES -> "a list of IPv4 or IPv6 addresses and CIDR ranges, e.g. 10.0.0.0/8, 2001:db8::/32, ::1";
        case LOG_LEVEL -> "one of TRACE, DEBUG, INFO, WARN, ERROR";
        case LOGGER_LEVELS -> "comma-separated logger=LEVEL pairs, LEVEL one of TRACE, DEBUG, INFO, WARN, ERROR";
        case RABBITMQ_MODE -> "one of auto, external, embedded";
      };
    }
  }
}
