package io.agenthub.protocol;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Every {@code message_type} the hub understands or sends. */
public enum MessageType {
  REGISTER_FRONTEND,
  REGISTER_AGENT,
  REGISTER_BROKER,
  REGISTER_FRONTEND_RESPONSE,
  REGISTER_AGENT_RESPONSE,
  REGISTER_BROKER_RESPONSE,
  TEXT,
  REPLY,
  SYSTEM,
  ERROR,
  PING,
  PONG,
  SERVER_HEARTBEAT,
  AGENT_STATUS_UPDATE,
  REQUEST_AGENT_STATUS,
  STREAM_START,
  STREAM_STARTED,
  STREAM_CHUNK,
  STREAM_END,
  STREAM_CANCEL,
  STREAM_JOIN,
  AGENT_CARD_UPDATE,
  AGENT_CARD_UPDATED;

  private static final Map<String, MessageType> BY_NAME =
      Stream.of(values()).collect(Collectors.toUnmodifiableMap(Enum::name, Function.identity()));

  public static Optional<MessageType> parse(String name) {
    return Optional.ofNullable(BY_NAME.get(name));
  }

  /** Chat messages are the ones forwarded through RabbitMQ. */
  public boolean isChat() {
    return this == TEXT || this == REPLY || this == SYSTEM || this == ERROR;
  }

  /** Protocol extension "streamed replies": the frames clients send about streams. */
  public boolean isStream() {
    return this == STREAM_START || this == STREAM_CHUNK || this == STREAM_END || this == STREAM_CANCEL
        || this == STREAM_JOIN;
  }

  public boolean isRegistration() {
    return this == REGISTER_FRONTEND || this == REGISTER_AGENT || this == REGISTER_BROKER;
  }
}
