package io.agenthub.protocol;

import java.util.List;

/** Field names of the wire protocol. */
public final class Fields {
  public static final String MESSAGE_TYPE = "message_type";
  public static final String MESSAGE_ID = "message_id";
  public static final String SENDER_ID = "sender_id";
  public static final String RECEIVER_ID = "receiver_id";
  public static final String TEXT_PAYLOAD = "text_payload";
  public static final String SEND_TIMESTAMP = "send_timestamp";
  public static final String IN_REPLY_TO_MESSAGE_ID = "in_reply_to_message_id";
  public static final String ERROR_CODE = "error_code";
  /** On a RATE_LIMITED ERROR: milliseconds after which the refused frame or registration may be sent again. */
  public static final String RETRY_AFTER_MS = "retry_after_ms";
  public static final String AGENT_ID = "agent_id";
  public static final String AGENT_NAME = "agent_name";
  public static final String IS_ONLINE = "is_online";
  public static final String LAST_SEEN = "last_seen";

  /** Protocol extension "streamed replies". */
  public static final String STREAMS = "streams";
  public static final String STREAM_ID = "stream_id";
  public static final String SEQ = "seq";
  public static final String LAST_SEQ = "last_seq";
  public static final String NEXT_SEQ = "next_seq";
  public static final String FROM_SEQ = "from_seq";
  public static final String DELTA = "delta";
  public static final String REASON = "reason";
  public static final String ERROR = "error";
  public static final String CHUNKS = "chunks";
  public static final String STARTED_AT = "started_at";
  /** On the REPLY the hub builds when a stream ends: how it ended. */
  public static final String STREAM_END = "stream_end";

  /** Protocol extensions "agent cards" and "live load" ({@link AgentDetails}). */
  public static final String CARD = "card";
  public static final String STATUS_UPDATES = "status_updates";
  /** On a TEXT, read by the reference broker: the skill the question needs (an id of a card's skill). */
  public static final String SKILL = "skill";
  /**
   * Set by the reference broker on a question it routes: the key an agent recognises a repeat by (the question's
   * {@code message_id}), and which attempt this is (2 when the first agent went offline before answering).
   */
  public static final String IDEMPOTENCY_KEY = "idempotency_key";
  public static final String ATTEMPT = "attempt";

  /** Stamped by the hub on every chat message it publishes to broker_input_queue. */
  public static final String CLIENT_ID = "_client_id";
  public static final String CONNECTION_TYPE = "_connection_type";
  public static final String BROADCAST = "_broadcast";
  public static final String TARGET_AGENT_ID = "_target_agent_id";

  /** Keys removed before a message goes to a WebSocket client. */
  public static final List<String> INTERNAL_KEYS = List.of(CLIENT_ID, BROADCAST, TARGET_AGENT_ID);

  private Fields() {
  }
}
