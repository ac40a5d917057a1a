package io.agenthub.gateway;

import io.agenthub.metrics.HubMetrics;
import io.agenthub.protocol.ErrorCode;
import io.agenthub.protocol.Fields;
import io.agenthub.protocol.Frames;
import io.agenthub.protocol.ProtocolError;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Answers a frame the gateway does not process with the ERROR frame the protocol names, and counts it. */
final class Refusals {
  private static final Logger LOG = LoggerFactory.getLogger(Refusals.class);
  private final MeterRegistry metrics;

  Refusals(MeterRegistry metrics) {
    this.metrics = metrics;
  }

  /** {@code messageId}, when known, is echoed as {@code in_reply_to_message_id}. */
  void refuse(ClientSession session, ProtocolError error, String messageId) {
    HubMetrics.frameRefused(metrics, error.code());
    LOG.debug("Frame from {} refused: {} {}", session.logId(), error.code(), error.text());
    JsonObject reply = error.toFrame();
    if (messageId != null) {
      reply.put(Fields.IN_REPLY_TO_MESSAGE_ID, messageId);
    }
    session.send(reply);
  }

  /**
   * RATE_LIMITED with {@code retry_after_ms}, when the refused frame may be sent again; {@code messageId}, when
   * known, is echoed as {@code in_reply_to_message_id}.
   */
  void rateLimited(ClientSession session, String text, long retryAfterNanos, String messageId) {
    JsonObject reply = Frames.rateLimited(text, retryAfterNanos);
    if (messageId != null) {
      reply.put(Fields.IN_REPLY_TO_MESSAGE_ID, messageId);
    }
    send(session, reply, ErrorCode.RATE_LIMITED);
  }

  /** An ERROR built elsewhere (it carries more than a message id), counted like the others. */
  void send(ClientSession session, JsonObject error, ErrorCode code) {
    HubMetrics.frameRefused(metrics, code);
    LOG.debug("Frame from {} refused: {} {}", session.logId(), code, error.getString(Fields.TEXT_PAYLOAD));
    session.send(error);
  }
}
