package io.agenthub.bridge;

import io.agenthub.bus.AgentLookup;
import io.agenthub.protocol.ClientRole;
import io.agenthub.protocol.Fields;
import io.agenthub.protocol.MessageType;
import io.vertx.core.json.JsonObject;
import java.util.function.Predicate;

/**
 * Where a message from {@code broker_output_queue} goes, in the contract's order, decided from the message and what
 * is known of the agents. Pure logic, no I/O: {@link OutputRouter} carries the decision out, and when it is
 * {@link Kind#ASK_PRESENCE} asks presence and decides again with {@link #afterLookup}.
 *
 * @param target the agent id for {@link Kind#AGENT_QUEUE} and {@link Kind#ASK_PRESENCE}, the client id for
 *     {@link Kind#CLIENT}, the client to tell for {@link Kind#AGENT_OFFLINE}, null for {@link Kind#UNDELIVERABLE}
 * @param agentName the offline agent's name for its {@link Kind#AGENT_OFFLINE} error; null for the other kinds
 */
record OutputRoute(Kind kind, String target, String agentName) {
  enum Kind {
    /** {@code receiver_id} is an agent known to be online: publish to its queue. */
    AGENT_QUEUE,
    /** {@code receiver_id} is shaped like an agent id but not known online here: presence decides. */
    ASK_PRESENCE,
    /** {@code receiver_id} is a known agent that is offline: an ERROR to the original sender instead. */
    AGENT_OFFLINE,
    /** A WebSocket client: a broker ERROR's {@code _client_id}, else {@code receiver_id}, else {@code _client_id}. */
    CLIENT,
    /** Neither a receiver nor a {@code _client_id}: dead-letter it. */
    UNDELIVERABLE
  }

  /** The reason a message is dead-lettered with when the decision is {@link Kind#UNDELIVERABLE}. */
  static final String NO_TARGET = "no receiver_id or _client_id";

  /**
   * The first decision. Only a positive answer of {@code onlineAgents} is trusted: an agent missing from it may have
   * come online a moment ago, so an agent-shaped receiver not in it is {@link Kind#ASK_PRESENCE}.
   */
  static OutputRoute decide(JsonObject message, Predicate<String> onlineAgents) {
    String receiver = text(message, Fields.RECEIVER_ID);
    if (receiver != null && onlineAgents.test(receiver)) {
      return route(Kind.AGENT_QUEUE, receiver);
    }
    if (ClientRole.ofId(receiver).orElse(null) == ClientRole.AGENT) {
      return route(Kind.ASK_PRESENCE, receiver);
    }
    return toClient(message);
  }

  /** The decision once presence answered about the agent {@code receiver_id} names. */
  static OutputRoute afterLookup(JsonObject message, AgentLookup lookup) {
    if (!lookup.known()) {
      return toClient(message);
    }
    if (lookup.agent().getBoolean(Fields.IS_ONLINE, false)) {
      return route(Kind.AGENT_QUEUE, text(message, Fields.RECEIVER_ID));
    }
    return new OutputRoute(Kind.AGENT_OFFLINE, senderOf(message), lookup.agent().getString(Fields.AGENT_NAME));
  }

  /** The WebSocket client a message goes to when no agent takes it. */
  static OutputRoute toClient(JsonObject message) {
    String clientId = text(message, Fields.CLIENT_ID);
    String receiver = text(message, Fields.RECEIVER_ID);
    boolean brokerError = MessageType.ERROR.name().equals(text(message, Fields.MESSAGE_TYPE)) && clientId != null;
    String target = brokerError ? clientId : (receiver != null && !receiver.isEmpty() ? receiver : clientId);
    return target == null || target.isEmpty()
        ? route(Kind.UNDELIVERABLE, null)
        : route(Kind.CLIENT, target);
  }

  private static OutputRoute route(Kind kind, String target) {
    return new OutputRoute(kind, target, null);
  }

  /** The client an answer about this message goes to: the hub's stamp if the broker kept it, else its sender. */
  private static String senderOf(JsonObject message) {
    String clientId = text(message, Fields.CLIENT_ID);
    return clientId != null ? clientId : text(message, Fields.SENDER_ID);
  }

  private static String text(JsonObject json, String key) {
    return json.getValue(key) instanceof String s ? s : null;
  }
}
