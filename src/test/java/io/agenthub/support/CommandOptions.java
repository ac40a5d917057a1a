package io.agenthub.support;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code --name value} or {@code --name=value} options of the command-line tools in test scope (the load generator,
 * the chaos suite), with defaults at the point of use.
 */
public final class CommandOptions {
  private final Map<String, String> values = new HashMap<>();

  public CommandOptions(List<String> args) {
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (!arg.startsWith("--")) {
        throw new IllegalArgumentException("expected --option, got " + arg);
      }
      int equals = arg.indexOf('=');
      if (equals > 0) {
        values.put(arg.substring(2, equals), arg.substring(equals + 1));
      } else if (i + 1 < args.size()) {
        values.put(arg.substring(2), args.get(++i));
      } else {
        throw new IllegalArgumentException("option " + arg + " needs a value");
      }
    }
  }

  public String string(String name, String defaultValue) {
    return values.getOrDefault(name, defaultValue);
  }

  public int integer(String name, int defaultValue) {
    return values.containsKey(name) ? Integer.parseInt(values.get(name)) : defaultValue;
  }

  public double decimal(String name, double defaultValue) {
    return values.containsKey(name) ? Double.parseDouble(values.get(name)) : defaultValue;
  }

  public boolean flag(String name, boolean defaultValue) {
    return values.containsKey(name) ? Boolean.parseBoolean(values.get(name)) : defaultValue;
  }

  public List<Integer> integers(String name, String defaultValue) {
    return Arrays.stream(string(name, defaultValue).split(",")).map(String::trim).map(Integer::parseInt).toList();
  }

  public long nanos(String secondsOption, double defaultSeconds) {
    return (long) (decimal(secondsOption, defaultSeconds) * 1e9);
  }
}
