package io.agenthub.protocol;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** Validation and stamping of chat messages ({@code TEXT}, {@code REPLY}, {@code SYSTEM}, {@code ERROR}). */
public final class ChatMessages {
  private static final String[] OPTIONAL_STRING_FIELDS = {
      Fields.MESSAGE_ID, Fields.RECEIVER_ID, Fields.SEND_TIMESTAMP, Fields.IN_REPLY_TO_MESSAGE_ID, "in_reply_to"
  };

  private ChatMessages() {
  }

  /** What is wrong with a chat message from a client, if anything. */
  public static Optional<ProtocolError> validate(JsonObject message) {
    Object payload = message.getValue(Fields.TEXT_PAYLOAD);
    if (payload == null) {
      return Optional.of(new ProtocolError(ErrorCode.MISSING_FIELD, "Field text_payload is required"));
    }
    if (!(payload instanceof String)) {
      return Optional.of(new ProtocolError(ErrorCode.INVALID_FIELD, "Field text_payload must be a string"));
    }
    for (String field : OPTIONAL_STRING_FIELDS) {
      Object value = message.getValue(field);
      if (value != null && !(value instanceof String)) {
        return Optional.of(new ProtocolError(ErrorCode.INVALID_FIELD, "Field " + field + " must be a string"));
      }
    }
    return Optional.empty();
  }

  /**
   * Stamps a valid chat message with its sender's registered identity, as published to broker_input_queue.
   * Whatever the client claimed in {@code sender_id}, {@code _client_id} or {@code _connection_type} is replaced:
   * a client can never speak for another. Hub-internal routing keys are removed for the same reason. A message
   * without {@code send_timestamp} gets {@code at}, when the hub received it.
   */
  public static JsonObject stampFromClient(JsonObject message, String clientId, ClientRole role, Instant at) {
    message.remove(Fields.BROADCAST);
    message.remove(Fields.TARGET_AGENT_ID);
    message.put(Fields.SENDER_ID, clientId);
    message.put(Fields.CLIENT_ID, clientId);
    message.put(Fields.CONNECTION_TYPE, role.connectionType());
    if (message.getValue(Fields.MESSAGE_ID) == null) {
      message.put(Fields.MESSAGE_ID, UUID.randomUUID().toString());
    }
    if (message.getValue(Fields.RECEIVER_ID) == null) {
      message.put(Fields.RECEIVER_ID, "");
    }
    if (message.getValue(Fields.SEND_TIMESTAMP) == null) {
      message.put(Fields.SEND_TIMESTAMP, Timestamps.format(at));
    }
    return message;
  }

  /** A copy fit for a WebSocket client: the internal keys removed. */
  public static JsonObject forClient(JsonObject message) {
    JsonObject copy = message.copy();
    Fields.INTERNAL_KEYS.forEach(copy::remove);
    return copy;
  }
}
