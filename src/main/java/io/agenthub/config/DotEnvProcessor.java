package io.agenthub.config;

import io.vertx.config.spi.ConfigProcessor;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/** vertx-config format {@code dotenv}: {@code KEY=value} lines as a {@code .env} file writes them. */
public final class DotEnvProcessor implements ConfigProcessor {

  @Override
  public String name() {
    return "dotenv";
  }

  @Override
  public Future<JsonObject> process(Vertx vertx, JsonObject configuration, Buffer input) {
    return Future.succeededFuture(parse(input.toString()));
  }

  /**
   * Blank lines and {@code #} comments are skipped, an {@code export } prefix is allowed, and one pair of matching
   * quotes around a value is removed, as python-dotenv does.
   */
  public static JsonObject parse(String text) {
    JsonObject json = new JsonObject();
    for (String rawLine : text.split("\\R")) {
      String line = rawLine.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      if (line.startsWith("export ")) {
        line = line.substring("export ".length()).strip();
      }
      int equals = line.indexOf('=');
      if (equals <= 0) {
        continue;
      }
      json.put(line.substring(0, equals).strip(), unquote(line.substring(equals + 1).strip()));
    }
    return json;
  }

  private static String unquote(String value) {
    if (value.length() >= 2) {
      char first = value.charAt(0);
      if ((first == '"' || first == '\'') && value.charAt(value.length() - 1) == first) {
        return value.substring(1, value.length() - 1);
      }
    }
    return value;
  }
}
