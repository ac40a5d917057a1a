package io.agenthub.config;

import io.agenthub.protocol.ClientRole;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The hub's configuration, typed and validated in this one place. Built from the merged JSON of all sources
 * ({@link ConfigSources}); travels between verticles as {@link #toJson()}.
 */
public final class HubConfig {
  private static final Set<String> LOG_LEVELS = Set.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR");
  private static final Pattern LOGGER_NAME = Pattern.compile("[A-Za-z_$][\\w$]*(\\.[A-Za-z_$][\\w$]*)*");

  private final Map<Setting, Object> values;

  private HubConfig(Map<Setting, Object> values) {
    this.values = values;
  }

  /** Parses a configuration that has already been validated, as published on the event bus. */
  public static HubConfig fromJson(JsonObject json) {
    return parse(json);
  }

  /**
   * Validates and types every setting. Unknown keys are not looked at here: {@link ConfigSources} checks files for
   * them, since the environment and system properties carry many keys that are not ours.
   *
   * @throws InvalidConfigException listing every problem found
   */
  public static HubConfig parse(JsonObject merged) {
    Map<Setting, Object> values = new EnumMap<>(Setting.class);
    List<InvalidConfigException.Problem> problems = new ArrayList<>();
    for (Setting setting : Setting.values()) {
      Object raw = merged.getValue(setting.name());
      if (raw == null) {
        problems.add(new InvalidConfigException.Problem(setting.name(),
            setting.name() + " is missing: expected " + setting.type().allowed()));
        continue;
      }
      Object typed = coerce(setting.type(), raw);
      if (typed == null) {
        problems.add(new InvalidConfigException.Problem(setting.name(),
            describe(setting, raw) + " is not allowed: expected " + setting.type().allowed()));
      } else {
        values.put(setting, typed);
      }
    }
    if (problems.isEmpty()) {
      checkConsistency(values, problems);
    }
    if (!problems.isEmpty()) {
      throw new InvalidConfigException(problems);
    }
    return new HubConfig(values);
  }

  private static void checkConsistency(Map<Setting, Object> values, List<InvalidConfigException.Problem> problems) {
    long min = (Long) values.get(Setting.RABBITMQ_RECONNECT_MIN_MS);
    long max = (Long) values.get(Setting.RABBITMQ_RECONNECT_MAX_MS);
    if (min > max) {
      problems.add(new InvalidConfigException.Problem(Setting.RABBITMQ_RECONNECT_MIN_MS.name(),
          "RABBITMQ_RECONNECT_MIN_MS=" + min + " is not allowed: expected at most RABBITMQ_RECONNECT_MAX_MS (" + max + ")"));
    }
    boolean cert = !((String) values.get(Setting.TLS_CERT_FILE)).isEmpty();
    boolean key = !((String) values.get(Setting.TLS_KEY_FILE)).isEmpty();
    if (cert != key) {
      Setting missing = cert ? Setting.TLS_KEY_FILE : Setting.TLS_CERT_FILE;
      problems.add(new InvalidConfigException.Problem(missing.name(), missing.name()
          + " is missing: TLS needs both TLS_CERT_FILE and TLS_KEY_FILE (or neither, for plain ws://)"));
    }
  }

  private static String describe(Setting setting, Object raw) {
    String shown = setting.type().kind().isSecret() ? "***" : String.valueOf(raw);
    return setting.name() + "=" + (raw instanceof String ? "\"" + shown + "\"" : shown);
  }

  private static Object coerce(Setting.Type type, Object raw) {
    return switch (type.kind()) {
      case STRING, SECRET -> raw instanceof String s && !s.isBlank() ? s.trim() : null;
      case OPTIONAL_STRING -> raw instanceof String s ? s.trim() : null;
      case INTEGER -> integerIn(raw, type.min(), type.max());
      case SECONDS -> secondsUpTo(raw, type.max());
      case BOOLEAN -> bool(raw);
      case LIST, SECRET_LIST -> list(raw);
      case LOG_LEVEL -> raw instanceof String s ? logLevel(s) : null;
      case LOGGER_LEVELS -> loggerLevels(raw);
      case RABBITMQ_MODE -> raw instanceof String s ? RabbitMqMode.parse(s) : null;
    };
  }

  private static String logLevel(String raw) {
    String level = raw.trim().toUpperCase(Locale.ROOT);
    return LOG_LEVELS.contains(level) ? level : null;
  }

  /** Each entry normalised to {@code logger=LEVEL}; null if any entry is not one. */
  private static List<String> loggerLevels(Object raw) {
    List<String> entries = list(raw);
    if (entries == null) {
      return null;
    }
    List<String> normalised = new ArrayList<>();
    for (String entry : entries) {
      int equals = entry.indexOf('=');
      String logger = equals > 0 ? entry.substring(0, equals).trim() : "";
      String level = equals > 0 ? logLevel(entry.substring(equals + 1)) : null;
      if (!LOGGER_NAME.matcher(logger).matches() || level == null) {
        return null;
      }
      normalised.add(logger + "=" + level);
    }
    return List.copyOf(normalised);
  }

  private static Long integerIn(Object raw, long min, long max) {
    Long value = null;
    if (raw instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
      value = n.longValue();
    } else if (raw instanceof String s) {
      try {
        value = Long.parseLong(s.trim());
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return value != null && value >= min && value <= max ? value : null;
  }

  private static Duration secondsUpTo(Object raw, long maxSeconds) {
    double seconds;
    if (raw instanceof Number n) {
      seconds = n.doubleValue();
    } else if (raw instanceof String s) {
      try {
        seconds = Double.parseDouble(s.trim());
      } catch (NumberFormatException e) {
        return null;
      }
    } else {
      return null;
    }
    if (!(seconds > 0) || seconds > maxSeconds) {
      return null;
    }
    return Duration.ofNanos(Math.max(1_000_000L, Math.round(seconds * 1e9)));
  }

  private static Boolean bool(Object raw) {
    if (raw instanceof Boolean b) {
      return b;
    }
    if (raw instanceof String s) {
      String v = s.trim().toLowerCase(Locale.ROOT);
      if (v.equals("true")) {
        return true;
      }
      if (v.equals("false")) {
        return false;
      }
    }
    return null;
  }

  private static List<String> list(Object raw) {
    if (raw instanceof String s) {
      return Arrays.stream(s.split(",")).map(String::trim).filter(v -> !v.isEmpty()).toList();
    }
    if (raw instanceof JsonArray array) {
      List<String> items = new ArrayList<>();
      for (Object item : array) {
        if (!(item instanceof String s) || s.isBlank()) {
          return null;
        }
        items.add(s.trim());
      }
      return List.copyOf(items);
    }
    return null;
  }

  /** The canonical JSON form: what {@link #fromJson} reads back. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    values.forEach((setting, value) -> json.put(setting.name(), toJsonValue(value)));
    return json;
  }

  private static Object toJsonValue(Object value) {
    if (value instanceof RabbitMqMode mode) {
      return mode.configValue();
    }
    if (value instanceof Duration d) {
      return d.toNanos() / 1e9;
    }
    if (value instanceof List<?> l) {
      return new JsonArray(new ArrayList<>(l));
    }
    return value;
  }

  /** The settings whose values differ between this configuration and {@code other}. */
  public List<Setting> changedFrom(HubConfig other) {
    return Arrays.stream(Setting.values()).filter(s -> !values.get(s).equals(other.values.get(s))).toList();
  }

  /** The configuration as a log-safe text: secrets masked. */
  public String describe() {
    JsonObject json = toJson();
    Arrays.stream(Setting.values())
        .filter(s -> s.type().kind().isSecret())
        .forEach(s -> json.put(s.name(), "***"));
    return json.encode();
  }

  /*
   * Typed reads by kind, for the settings record of each verticle (GatewaySettings, PresenceSettings, ...); the
   * getters below are only those several packages share. A setting's kind is fixed in Setting, so each cast holds.
   */

  public String string(Setting setting) {
    return (String) values.get(setting);
  }

  public int integer(Setting setting) {
    return ((Long) values.get(setting)).intValue();
  }

  public long longValue(Setting setting) {
    return (Long) values.get(setting);
  }

  /** A setting in seconds (kind SECONDS). */
  public Duration duration(Setting setting) {
    return (Duration) values.get(setting);
  }

  /** An integer setting counted in milliseconds ({@code *_MS}). */
  public Duration millis(Setting setting) {
    return Duration.ofMillis(integer(setting));
  }

  public boolean flag(Setting setting) {
    return (Boolean) values.get(setting);
  }

  @SuppressWarnings("unchecked")
  public List<String> strings(Setting setting) {
    return (List<String>) values.get(setting);
  }

  public String host() {
    return string(Setting.HOST);
  }

  public int port() {
    return integer(Setting.PORT);
  }

  /** {@code wss} when TLS is configured, {@code ws} otherwise. */
  public String webSocketScheme() {
    return tlsEnabled() ? "wss" : "ws";
  }

  public String publicWebSocketUrl() {
    return webSocketScheme() + "://" + string(Setting.WEBSOCKET_HOST) + ":" + integer(Setting.WEBSOCKET_PORT) + "/ws";
  }

  /** TLS is on when a certificate and key are configured (both or neither, checked at parse time). */
  public boolean tlsEnabled() {
    return !string(Setting.TLS_CERT_FILE).isEmpty();
  }

  public String rabbitHost() {
    return string(Setting.RABBITMQ_HOST);
  }

  public int rabbitPort() {
    return integer(Setting.RABBITMQ_PORT);
  }

  public String rabbitUser() {
    return string(Setting.RABBITMQ_USER);
  }

  public String rabbitPassword() {
    return string(Setting.RABBITMQ_PASSWORD);
  }

  public String rabbitVhost() {
    return string(Setting.RABBITMQ_VHOST);
  }

  public RabbitMqMode rabbitMode() {
    return (RabbitMqMode) values.get(Setting.RABBITMQ_MODE);
  }

  /** {@code host:port/vhost}, for logs and status. */
  public String rabbitTarget() {
    return rabbitHost() + ":" + rabbitPort() + rabbitVhost().replaceFirst("^(?!/)", "/");
  }

  public String logLevel() {
    return string(Setting.LOG_LEVEL);
  }

  /** Logger name to level, in the order given. */
  public Map<String, String> loggerLevels() {
    Map<String, String> levels = new LinkedHashMap<>();
    for (String entry : strings(Setting.LOGGER_LEVELS)) {
      int equals = entry.indexOf('=');
      levels.put(entry.substring(0, equals), entry.substring(equals + 1));
    }
    return levels;
  }

  public long configScanPeriodMillis() {
    return integer(Setting.CONFIG_SCAN_PERIOD_MS);
  }

  public boolean clusterEnabled() {
    return flag(Setting.CLUSTER_ENABLED);
  }

  public String clusterHost() {
    return string(Setting.CLUSTER_HOST);
  }

  public int clusterPort() {
    return integer(Setting.CLUSTER_PORT);
  }

  public List<String> clusterMembers() {
    return strings(Setting.CLUSTER_MEMBERS);
  }
}
