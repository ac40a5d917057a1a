package io.agenthub.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The hub's one JSON reader for what others send it: strict RFC 8259 (no comments, trailing commas, single quotes,
 * unquoted names, NaN, leading zeros or content after the value), no duplicate names (two parsers on the way could
 * otherwise disagree on which one counts), and at most {@link #MAX_DEPTH} nested objects and arrays, enforced by the
 * tokenizer while it reads, so a hostile document never reaches a recursive encoder. Vert.x's own codec allows
 * comments and a nesting depth of 1000, deep enough to overflow the stack when the message is encoded again.
 */
public final class StrictJson {
  /** Protocol frames are flat; a few levels of client metadata fit with room to spare. */
  public static final int MAX_DEPTH = 64;

  private static final JsonFactory FACTORY = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
      .build();

  private StrictJson() {
  }

  /**
   * Why a text was refused: {@link ErrorCode#INVALID_JSON}, {@link ErrorCode#TOO_DEEP} or {@link
   * ErrorCode#NOT_AN_OBJECT}.
   */
  public static final class Rejected extends Exception {
    private final transient ProtocolError error;

    Rejected(ErrorCode code, String text) {
      super(text, null, false, false);
      this.error = new ProtocolError(code, text);
    }

    public ProtocolError error() {
      return error;
    }
  }

  /** A JSON object from text, as a client frame. */
  public static JsonObject parseObject(String text) throws Rejected {
    try (JsonParser parser = FACTORY.createParser(text)) {
      return objectFrom(parser);
    } catch (IOException e) {
      throw rejection(e);
    }
  }

  /**
   * A JSON object from UTF-8 bytes, as a message body consumed from RabbitMQ; malformed UTF-8 is refused like any
   * other invalid JSON.
   */
  public static JsonObject parseObject(byte[] utf8) throws Rejected {
    if (!Utf8Validator.isValid(utf8)) {
      throw new Rejected(ErrorCode.INVALID_JSON, Frames.TEXT_INVALID_JSON);
    }
    try (JsonParser parser = FACTORY.createParser(utf8)) {
      return objectFrom(parser);
    } catch (IOException e) {
      throw rejection(e);
    }
  }

  private static JsonObject objectFrom(JsonParser parser) throws IOException, Rejected {
    JsonToken first = parser.nextToken();
    if (first == null) {
      throw new Rejected(ErrorCode.INVALID_JSON, Frames.TEXT_INVALID_JSON);
    }
    Object value = valueAt(parser);
    if (parser.nextToken() != null) {
      throw new Rejected(ErrorCode.INVALID_JSON, Frames.TEXT_INVALID_JSON);
    }
    if (!(value instanceof Map<?, ?>)) {
      throw new Rejected(ErrorCode.NOT_AN_OBJECT, "Frame must be a JSON object");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> map = (Map<String, Object>) value;
    return new JsonObject(map);
  }

  private static Rejected rejection(IOException e) {
    if (e instanceof StreamConstraintsException && e.getMessage().contains("nesting depth")) {
      return new Rejected(ErrorCode.TOO_DEEP, "JSON nested deeper than " + MAX_DEPTH + " levels");
    }
    return new Rejected(ErrorCode.INVALID_JSON, Frames.TEXT_INVALID_JSON);
  }

  /** Recursion is bounded by the tokenizer's depth limit. */
  private static Object valueAt(JsonParser parser) throws IOException {
    return switch (parser.currentToken()) {
      case START_OBJECT -> objectAt(parser);
      case START_ARRAY -> arrayAt(parser);
      case VALUE_STRING -> parser.getText();
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> parser.getNumberValue();
      case VALUE_TRUE -> Boolean.TRUE;
      case VALUE_FALSE -> Boolean.FALSE;
      case VALUE_NULL -> null;
      default -> throw new IOException("unexpected token " + parser.currentToken());
    };
  }

  private static Map<String, Object> objectAt(JsonParser parser) throws IOException {
    Map<String, Object> object = new LinkedHashMap<>();
    for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
      parser.nextToken();
      object.put(name, valueAt(parser));
    }
    return object;
  }

  private static List<Object> arrayAt(JsonParser parser) throws IOException {
    List<Object> array = new ArrayList<>();
    while (parser.nextToken() != JsonToken.END_ARRAY) {
      array.add(valueAt(parser));
    }
    return array;
  }
}
