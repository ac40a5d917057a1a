package io.agenthub.protocol;

/**
 * Stable codes carried in {@code error_code} of every ERROR the hub sends (protocol extension "typed errors").
 * The contract's {@code text_payload} stays exactly as old clients expect; the code is for new clients and logs.
 */
public enum ErrorCode {
  /** The frame is not valid JSON. */
  INVALID_JSON,
  /** The frame is JSON but not an object. */
  NOT_AN_OBJECT,
  /** Binary frames are not part of the protocol. */
  BINARY_FRAME,
  /** The frame exceeds MAX_FRAME_BYTES. */
  FRAME_TOO_LARGE,
  /** {@code message_type} is missing or not a string. */
  MISSING_MESSAGE_TYPE,
  /** {@code message_type} names no known message. */
  UNKNOWN_MESSAGE_TYPE,
  /** A registration lacks its name field. */
  NAME_REQUIRED,
  /** A registration's name breaks the name policy (too long, control characters, invisible, reserved). */
  INVALID_NAME,
  /** A second REGISTER_* on a socket that already registered. */
  ALREADY_REGISTERED,
  /** REGISTER_AGENT asked to resume an agent_id that is online. */
  AGENT_ID_IN_USE,
  /** REGISTER_FRONTEND / REGISTER_BROKER asked to resume a frontend_id / broker_id that is connected. */
  CLIENT_ID_IN_USE,
  /** Registration without a valid token while tokens are configured for that role. */
  UNAUTHORIZED,
  /** Any frame other than REGISTER_* before registration. */
  NOT_REGISTERED,
  /** A chat message lacks a required field. */
  MISSING_FIELD,
  /** A field has the wrong JSON type. */
  INVALID_FIELD,
  /** A message type the hub only sends, never accepts from a client. */
  UNSUPPORTED_MESSAGE_TYPE,
  /** REQUEST_AGENT_STATUS from a client that is not a broker. */
  FORBIDDEN,
  /** The client sends faster than its rate limit allows. */
  RATE_LIMITED,
  /** The message certainly did not reach broker_input_queue (RabbitMQ not connected, or it refused the message). */
  FORWARD_FAILED,
  /**
   * The message was sent to RabbitMQ but its confirm was lost with the connection or did not come in time: it may
   * still be delivered. Same text as FORWARD_FAILED, so old clients see what they always saw.
   */
  FORWARD_OUTCOME_UNKNOWN,
  /** The receiving agent is known but offline. */
  AGENT_OFFLINE,
  /** The hub is shutting down or overloaded and cannot take the message now. */
  UNAVAILABLE,
  /** The frame is JSON nested deeper than StrictJson.MAX_DEPTH objects and arrays. */
  TOO_DEEP
}
