package io.agenthub.config;

import io.vertx.core.json.JsonArray;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongFunction;
import java.util.regex.Pattern;

/**
 * Turns a raw configuration value (from a file, {@code .env}, the environment or a system property, so often a
 * string) into the typed value its {@link Setting.Type} reads as, and a typed value back into the JSON that
 * {@link HubConfig#toJson} carries. Durations are typed at parse time, whatever their unit in configuration.
 */
final class SettingParser {
  private static final Set<String> LOG_LEVELS = Set.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR");
  private static final Pattern LOGGER_NAME = Pattern.compile("[A-Za-z_$][\\w$]*(\\.[A-Za-z_$][\\w$]*)*");

  private SettingParser() {
  }

  /** The typed value, or null when the raw one is not allowed. */
  static Object parse(Setting.Type type, Object raw) {
    return switch (type.kind()) {
      case STRING, SECRET -> raw instanceof String s && !s.isBlank() ? s.trim() : null;
      case OPTIONAL_STRING -> raw instanceof String s ? s.trim() : null;
      case INTEGER -> integerIn(raw, type.min(), type.max());
      case MILLIS -> asDuration(integerIn(raw, type.min(), type.max()), Duration::ofMillis);
      case WHOLE_SECONDS -> asDuration(integerIn(raw, type.min(), type.max()), Duration::ofSeconds);
      case SECONDS -> secondsUpTo(raw, type.max());
      case BOOLEAN -> bool(raw);
      case LIST, SECRET_LIST -> list(raw);
      case ADDRESS_RANGES -> addressRanges(raw);
      case LOG_LEVEL -> raw instanceof String s ? logLevel(s) : null;
      case LOGGER_LEVELS -> loggerLevels(raw);
      case RABBITMQ_MODE -> raw instanceof String s ? RabbitMqMode.parse(s) : null;
    };
  }

  /** The JSON form of a typed value, in the setting's own unit, which {@link #parse} reads back to the same value. */
  static Object toJson(Setting.Type type, Object value) {
    return switch (type.kind()) {
      case MILLIS -> ((Duration) value).toMillis();
      case WHOLE_SECONDS -> ((Duration) value).toSeconds();
      case SECONDS -> ((Duration) value).toNanos() / 1e9;
      case LIST, SECRET_LIST, LOGGER_LEVELS, ADDRESS_RANGES -> new JsonArray(new ArrayList<>((List<?>) value));
      case RABBITMQ_MODE -> ((RabbitMqMode) value).configValue();
      default -> value;
    };
  }

  /** {@code KEY=value} for a problem, the value masked when the setting is a secret. */
  static String describe(Setting setting, Object raw) {
    String shown = setting.type().kind().isSecret() ? "***" : String.valueOf(raw);
    return setting.name() + "=" + (raw instanceof String ? "\"" + shown + "\"" : shown);
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

  /** Each entry normalised ({@code 10.1.2.3/8} becomes {@code 10.0.0.0/8}); null if any entry is not a range. */
  private static List<String> addressRanges(Object raw) {
    List<String> entries = list(raw);
    if (entries == null) {
      return null;
    }
    List<String> normalised = new ArrayList<>();
    for (String entry : entries) {
      Optional<AddressRange> range = AddressRange.parse(entry);
      if (range.isEmpty()) {
        return null;
      }
      normalised.add(range.get().toString());
    }
    return List.copyOf(normalised);
  }

  private static Integer integerIn(Object raw, long min, long max) {
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
    return value != null && value >= min && value <= max ? Math.toIntExact(value) : null;
  }

  private static Duration asDuration(Integer amount, LongFunction<Duration> unit) {
    return amount == null ? null : unit.apply(amount);
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
}
