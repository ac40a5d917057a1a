package io.agenthub.protocol;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * Builders for every frame the hub sends; texts are the compatibility contract's, word for word. A frame that carries
 * a timestamp is given its instant ({@link Timestamps}).
 */
public final class Frames {
  public static final String SERVER_ID = "server";
  public static final String TEXT_MUST_REGISTER = "Client must register first";
  public static final String TEXT_INVALID_JSON = "Invalid JSON format";
  public static final String TEXT_FORWARD_FAILED = "Error: Could not forward message to broker.";
  public static final String TEXT_ONLY_BROKER_STATUS = "Only the broker can request agent status.";
  public static final String TEXT_CARD_UPDATE_FAILED = "Card update failed, please retry";

  private Frames() {
  }

  public static JsonObject registrationResponse(ClientRole role, String clientId, String name) {
    return new JsonObject()
        .put(Fields.MESSAGE_TYPE, role.responseType().name())
        .put("status", "success")
        .put(role.idField(), clientId)
        .put(role.nameField(), name)
        .put("message", role.displayName() + " registered successfully");
  }

  /** The contract's refusal of a registration without its name. */
  public static String nameRequiredText(ClientRole role) {
    return role.displayName() + " name is required for registration";
  }

  /** A plain ERROR: the contract's text plus its stable code. */
  public static JsonObject error(String text, ErrorCode code) {
    return new JsonObject()
        .put(Fields.MESSAGE_TYPE, MessageType.ERROR.name())
        .put(Fields.TEXT_PAYLOAD, text)
        .put(Fields.ERROR_CODE, code.name());
  }

  /** A RATE_LIMITED ERROR that says when to try again: {@code retryAfterNanos}, rounded up to whole milliseconds. */
  public static JsonObject rateLimited(String text, long retryAfterNanos) {
    return error(text, ErrorCode.RATE_LIMITED).put(Fields.RETRY_AFTER_MS, retryAfterMillis(retryAfterNanos));
  }

  /** A wait in whole milliseconds, rounded up and at least 1, as {@code retry_after_ms} carries it. */
  public static long retryAfterMillis(long nanos) {
    return Math.max(1, (nanos + 999_999) / 1_000_000);
  }

  /** An ERROR about one message, addressed from the server to the client that sent it, sent {@code at}. */
  public static JsonObject errorAbout(String text, ErrorCode code, String receiverId, String inReplyToMessageId,
      Instant at) {
    JsonObject error = error(text, code)
        .put(Fields.SENDER_ID, SERVER_ID)
        .put(Fields.RECEIVER_ID, receiverId)
        .put(Fields.MESSAGE_ID, java.util.UUID.randomUUID().toString())
        .put(Fields.SEND_TIMESTAMP, Timestamps.format(at));
    if (inReplyToMessageId != null) {
      error.put(Fields.IN_REPLY_TO_MESSAGE_ID, inReplyToMessageId);
    }
    return error;
  }

  /** The contract's forward-failure ERROR; {@code code} tells a new client whether the message may still arrive. */
  public static JsonObject forwardFailed(String senderId, String messageId, ErrorCode code, Instant at) {
    return errorAbout(TEXT_FORWARD_FAILED, code, senderId, messageId, at);
  }

  public static JsonObject agentOffline(String agentId, String agentName, String senderId, String messageId,
      Instant at) {
    String who = agentName == null ? agentId : agentName + " (" + agentId + ")";
    String text = "Agent " + who + " is offline. Message not delivered.";
    return errorAbout(text, ErrorCode.AGENT_OFFLINE, senderId, messageId, at);
  }

  public static JsonObject onlyBrokerMayRequestStatus() {
    return error(TEXT_ONLY_BROKER_STATUS, ErrorCode.FORBIDDEN).put(Fields.SENDER_ID, SERVER_ID);
  }

  /** Protocol extension "agent cards": the agent's new card is in place, as the hub keeps it. */
  public static JsonObject cardUpdated(String agentId, AgentCard card) {
    return new JsonObject()
        .put(Fields.MESSAGE_TYPE, MessageType.AGENT_CARD_UPDATED.name())
        .put(Fields.AGENT_ID, agentId)
        .put(Fields.CARD, card.toJson());
  }

  public static JsonObject ping() {
    return new JsonObject().put(Fields.MESSAGE_TYPE, MessageType.PING.name());
  }

  public static JsonObject serverPong() {
    return new JsonObject().put(Fields.MESSAGE_TYPE, MessageType.PONG.name()).put(Fields.SENDER_ID, SERVER_ID);
  }

  public static JsonObject serverHeartbeat(Instant at) {
    return new JsonObject()
        .put(Fields.MESSAGE_TYPE, MessageType.SERVER_HEARTBEAT.name())
        .put("timestamp", Timestamps.format(at))
        .put(Fields.SENDER_ID, SERVER_ID);
  }

  public static JsonObject agentStatusUpdate(JsonArray agents) {
    return new JsonObject()
        .put(Fields.MESSAGE_TYPE, MessageType.AGENT_STATUS_UPDATE.name())
        .put("agents", agents)
        .put("is_full_update", true);
  }

  /**
   * Protocol extension "delta presence": a status update numbered for one client, carrying either the full list or
   * only the changed agents; a gap in {@code seq} tells the client it missed one and should resync.
   */
  public static JsonObject numberedStatusUpdate(JsonArray agents, boolean full, long seq) {
    return new JsonObject()
        .put(Fields.MESSAGE_TYPE, MessageType.AGENT_STATUS_UPDATE.name())
        .put("agents", agents)
        .put("is_full_update", full)
        .put("seq", seq);
  }
}
