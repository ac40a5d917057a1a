package io.agenthub.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.vertx.config.spi.ConfigProcessor;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * vertx-config format {@code json-with-comments}: a JSON object in which {@code //} and {@code /* … *}{@code /}
 * comments are allowed, so {@code conf/hub.json} can document every setting where it is set. Anything else is
 * strict JSON: a file that does not parse is refused like any other bad edit.
 */
public final class CommentedJsonProcessor implements ConfigProcessor {
  public static final String FORMAT = "json-with-comments";
  private static final JsonMapper MAPPER = JsonMapper.builder().enable(JsonReadFeature.ALLOW_JAVA_COMMENTS).build();

  @Override
  public String name() {
    return FORMAT;
  }

  @Override
  public Future<JsonObject> process(Vertx vertx, JsonObject configuration, Buffer input) {
    try {
      return Future.succeededFuture(parse(input.toString()));
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
  }

  /** The object a commented JSON text holds; an empty text is an empty object, as in the plain JSON format. */
  @SuppressWarnings("unchecked")
  public static JsonObject parse(String text) {
    if (text.isBlank()) {
      return new JsonObject();
    }
    try {
      Object value = MAPPER.readValue(text, Object.class);
      if (!(value instanceof Map)) {
        throw new IllegalArgumentException("top level must be a JSON object");
      }
      return new JsonObject((Map<String, Object>) value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e.getOriginalMessage() + " (line " + e.getLocation().getLineNr() + ")", e);
    }
  }
}
