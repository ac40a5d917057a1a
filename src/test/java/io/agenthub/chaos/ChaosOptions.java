package io.agenthub.chaos;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@code --name value} or {@code --name=value} options of the chaos suite, with defaults at the point of use. */
final class ChaosOptions {
  private final Map<String, String> values = new HashMap<>();

  ChaosOptions(List<String> args) {
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

  String string(String name, String defaultValue) {
    return values.getOrDefault(name, defaultValue);
  }

  int integer(String name, int defaultValue) {
    return values.containsKey(name) ? Integer.parseInt(values.get(name)) : defaultValue;
  }

  double decimal(String name, double defaultValue) {
    return values.containsKey(name) ? Double.parseDouble(values.get(name)) : defaultValue;
  }

  long nanos(String secondsOption, double defaultSeconds) {
    return (long) (decimal(secondsOption, defaultSeconds) * 1e9);
  }
}
