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
  TOO_DEEP,
  /** A stream frame from a client that did not register with {@code "streams": true}. */
  STREAMS_NOT_ENABLED,
  /** STREAM_START for a message the hub never handed to this agent (or whose record has expired). */
  STREAM_NOT_ASKED,
  /** A stream id the hub does not know (never opened, or ended longer ago than STREAM_RETENTION). */
  STREAM_UNKNOWN,
  /** A chunk, end or cancel for a stream that has already ended. */
  STREAM_ENDED,
  /** A chunk or end from an agent that did not open the stream, or a cancel of someone else's stream. */
  STREAM_FORBIDDEN,
  /** A chunk whose seq is not the next one (repeated, or after a gap); the text names the expected seq. */
  STREAM_OUT_OF_ORDER,
  /** The agent holds STREAM_MAX_OPEN_PER_AGENT open streams, or the hub's stream memory is full. */
  STREAM_LIMIT,
  /** A chunk's delta is longer than STREAM_MAX_CHUNK_CHARS. */
  CHUNK_TOO_LARGE,
  /** On STREAM_END (failed): no chunk or end came from the agent for STREAM_IDLE_TIMEOUT. */
  STREAM_IDLE_TIMEOUT,
  /** On STREAM_END (failed): the stream's text reached STREAM_MAX_CHARS. */
  STREAM_TOO_LARGE,
  /** On STREAM_END (failed): the stream was open for STREAM_MAX_AGE. */
  STREAM_TOO_OLD,
  /** On STREAM_END (failed): the agent's socket closed and it did not take the stream back in time. */
  AGENT_DISCONNECTED,
  /** On STREAM_END (cancelled): the agent did not acknowledge a cancel within STREAM_CANCEL_TIMEOUT. */
  CANCEL_TIMEOUT,
  /** On STREAM_END (failed): the agent ended its stream as failed; its own words are in the end's text. */
  AGENT_FAILED,
  /** An agent card whose JSON is longer than AGENT_CARD_MAX_BYTES (protocol extension "agent cards"). */
  CARD_TOO_LARGE,
  /** An agent card that breaks its rules; the text names the field, e.g. {@code card.skills[1].id}. */
  INVALID_CARD,
  /** The {@code load} of a PONG that breaks its rules; the text names the figure. The PONG still counts. */
  INVALID_LOAD
}
