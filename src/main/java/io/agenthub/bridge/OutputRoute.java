package io.agenthub.bridge;

import io.agenthub.protocol.ClientRole;
import io.agenthub.protocol.Fields;
import io.agenthub.protocol.MessageType;
import io.vertx.core.json.JsonObject;
import java.util.function.Predicate;

/**
 * Where a message from {@code broker_output_queue} goes, decided from the message alone and what this instance knows
 * of online agents, in the contract's order. Pure logic: {@link OutputRouter} carries the decision out (and asks
 * presence when the decision is {@link Kind#ASK_PRESENCE}).
 *
 * @param target the agent id for the agent kinds, the client id for {@link Kind#CLIENT}, null when undeliverable
 */
record OutputRoute(Kind kind, String target) {
  enum Kind {
    /** {@code receiver_id} is an agent known to be online: publish to its queue. */
    AGENT_QUEUE,
    /** {@code receiver_id} is shaped like an agent id but not known online here: presence decides. */
    ASK_PRESENCE,
    /** A WebSocket client: a broker ERROR's {@code _client_id}, else {@code receiver_id}, else {@code _client_id}. */
    CLIENT,
    /** Neither a receiver nor a {@code _client_id}: dead-letter it. */
    UNDELIVERABLE
  }

  static OutputRoute of(JsonObject message, Predicate<String> knownOnline) {
    String receiver = text(message, Fields.RECEIVER_ID);
    if (receiver != null && knownOnline.test(receiver)) {
      return new OutputRoute(Kind.AGENT_QUEUE, receiver);
    }
    if (ClientRole.ofId(receiver).orElse(null) == ClientRole.AGENT) {
      return new OutputRoute(Kind.ASK_PRESENCE, receiver);
    }
    return toClient(message);
  }

  /** The WebSocket client a message goes to when no agent takes it. */
  static OutputRoute toClient(JsonObject message) {
    String clientId = text(message, Fields.CLIENT_ID);
    String receiver = text(message, Fields.RECEIVER_ID);
    boolean brokerError = MessageType.ERROR.name().equals(text(message, Fields.MESSAGE_TYPE)) && clientId != null;
    String target = brokerError ? clientId : (receiver != null && !receiver.isEmpty() ? receiver : clientId);
    return target == null || target.isEmpty()
        ? new OutputRoute(Kind.UNDELIVERABLE, null)
        : new OutputRoute(Kind.CLIENT, target);
  }

  private static String text(JsonObject json, String key) {
    return json.getValue(key) instanceof String s ? s : null;
  }
}
