package io.agenthub.config;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The hub's configuration, typed and validated in this one place. Built from the merged JSON of all sources
 * ({@link ConfigSources}); travels between verticles as {@link #toJson()}. A setting is read in one way: the read
 * of what it is read as ({@link Setting.Type#value()}), e.g. {@code config.duration(Setting.DELIVERY_TIMEOUT_MS)};
 * any other read of it fails, naming it.
 */
public final class HubConfig {
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
      Object typed = SettingParser.parse(setting.type(), raw);
      if (typed == null) {
        problems.add(new InvalidConfigException.Problem(setting.name(),
            SettingParser.describe(setting, raw) + " is not allowed: expected " + setting.type().allowed()));
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
    long min = ((Duration) values.get(Setting.RABBITMQ_RECONNECT_MIN_MS)).toMillis();
    long max = ((Duration) values.get(Setting.RABBITMQ_RECONNECT_MAX_MS)).toMillis();
    if (min > max) {
      problems.add(new InvalidConfigException.Problem(Setting.RABBITMQ_RECONNECT_MIN_MS.name(),
          "RABBITMQ_RECONNECT_MIN_MS=" + min + " is not allowed: expected at most RABBITMQ_RECONNECT_MAX_MS ("
              + max + ")"));
    }
    boolean cert = !((String) values.get(Setting.TLS_CERT_FILE)).isEmpty();
    boolean key = !((String) values.get(Setting.TLS_KEY_FILE)).isEmpty();
    if (cert != key) {
      Setting missing = cert ? Setting.TLS_KEY_FILE : Setting.TLS_CERT_FILE;
      problems.add(new InvalidConfigException.Problem(missing.name(), missing.name()
          + " is missing: TLS needs both TLS_CERT_FILE and TLS_KEY_FILE (or neither, for plain ws://)"));
    }
  }

  /** The canonical JSON form: what {@link #fromJson} reads back. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    values.forEach((setting, value) -> json.put(setting.name(), SettingParser.toJson(setting.type(), value)));
    return json;
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

  /** A text setting (strings, secrets, optional strings, log levels). */
  public String string(Setting setting) {
    return read(setting, Setting.Value.TEXT, String.class);
  }

  public int integer(Setting setting) {
    return read(setting, Setting.Value.INTEGER, Integer.class);
  }

  /** A duration, whatever its unit in configuration: seconds, whole seconds or milliseconds ({@code *_MS}). */
  public Duration duration(Setting setting) {
    return read(setting, Setting.Value.DURATION, Duration.class);
  }

  public boolean flag(Setting setting) {
    return read(setting, Setting.Value.FLAG, Boolean.class);
  }

  /** A list setting; LOGGER_LEVELS gives its {@code logger=LEVEL} pairs, normalised. */
  @SuppressWarnings("unchecked")
  public List<String> strings(Setting setting) {
    return read(setting, Setting.Value.LIST, List.class);
  }

  public RabbitMqMode mode(Setting setting) {
    return read(setting, Setting.Value.RABBITMQ_MODE, RabbitMqMode.class);
  }

  private <T> T read(Setting setting, Setting.Value wanted, Class<T> type) {
    Setting.Value actual = setting.type().value();
    if (actual != wanted) {
      throw new IllegalArgumentException(setting.name() + " is read as " + name(actual) + ", not as "
          + name(wanted));
    }
    return type.cast(values.get(setting));
  }

  private static String name(Setting.Value value) {
    return value.name().toLowerCase(Locale.ROOT).replace('_', ' ');
  }

  /*
   * Values derived from several settings, which more than one package needs.
   */

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

  /** {@code host:port/vhost}, for logs and status. */
  public String rabbitTarget() {
    return string(Setting.RABBITMQ_HOST) + ":" + integer(Setting.RABBITMQ_PORT)
        + string(Setting.RABBITMQ_VHOST).replaceFirst("^(?!/)", "/");
  }
}
