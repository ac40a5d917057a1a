package io.agenthub.protocol;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;

/**
 * A text frame from a client, parsed ({@link StrictJson}): either a JSON object with a known {@code message_type}, or
 * the {@link ProtocolError} to answer with. Pure logic, no I/O: the gateway decides what to do with it.
 */
public final class InboundFrame {
  private final JsonObject body;
  private final MessageType type;
  private final ProtocolError error;

  private InboundFrame(JsonObject body, MessageType type, ProtocolError error) {
    this.body = body;
    this.type = type;
    this.error = error;
  }

  public static InboundFrame parse(String text, int maxFrameBytes) {
    if (utf8LengthExceeds(text, maxFrameBytes)) {
      return failed(ErrorCode.FRAME_TOO_LARGE, "Frame exceeds the limit of " + maxFrameBytes + " bytes");
    }
    JsonObject json;
    try {
      json = StrictJson.parseObject(text);
    } catch (StrictJson.Rejected e) {
      return new InboundFrame(null, null, e.error());
    }
    Object rawType = json.getValue(Fields.MESSAGE_TYPE);
    if (!(rawType instanceof String typeName)) {
      return new InboundFrame(json, null,
          new ProtocolError(ErrorCode.MISSING_MESSAGE_TYPE, "Field message_type is required and must be a string"));
    }
    return MessageType.parse(typeName)
        .map(type -> new InboundFrame(json, type, null))
        .orElseGet(() -> new InboundFrame(json, null,
            new ProtocolError(ErrorCode.UNKNOWN_MESSAGE_TYPE, "Unknown message_type: " + abbreviate(typeName))));
  }

  public static InboundFrame binaryRefused() {
    return failed(ErrorCode.BINARY_FRAME, "Binary frames are not supported; send JSON text frames");
  }

  private static InboundFrame failed(ErrorCode code, String text) {
    return new InboundFrame(null, null, new ProtocolError(code, text));
  }

  private static boolean utf8LengthExceeds(String text, int maxBytes) {
    if ((long) text.length() * 3 <= maxBytes) {
      return false;
    }
    return text.length() > maxBytes || text.getBytes(StandardCharsets.UTF_8).length > maxBytes;
  }

  private static String abbreviate(String value) {
    return value.length() <= 64 ? value : value.substring(0, 64) + "…";
  }

  public boolean isValid() {
    return error == null;
  }

  public ProtocolError error() {
    return error;
  }

  public MessageType type() {
    return type;
  }

  public JsonObject body() {
    return body;
  }

  /** The message_id of the frame, if it has a string one, to reference in an ERROR. */
  public String messageId() {
    return body == null ? null : stringOrNull(body.getValue(Fields.MESSAGE_ID));
  }

  private static String stringOrNull(Object value) {
    return value instanceof String s ? s : null;
  }
}
