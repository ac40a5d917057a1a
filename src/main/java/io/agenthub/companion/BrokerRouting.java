package io.agenthub.companion;

import io.agenthub.clock.HubClock;
import io.agenthub.protocol.ClientRole;
import io.agenthub.protocol.Fields;
import io.agenthub.protocol.MessageType;
import io.agenthub.protocol.OnlineAgents;
import io.agenthub.protocol.Timestamps;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.UUID;
import java.util.random.RandomGenerator;

/**
 * The reference broker's routing decision, kept free of I/O. Replies find their frontend because a receiver that names
 * a frontend or broker is passed through; anything addressed to "server", nobody or an unknown id goes to an online
 * agent other than its sender, chosen by its {@code message_id} (at random without one); ERRORs pass unchanged, as
 * with the seed broker. Choosing by id makes a message the broker consumes twice (its ack lost with its connection)
 * go to the same agent with the same bytes while the agents online stay the same, so the hub and the agent
 * recognise the repeat.
 */
final class BrokerRouting {
  static final String NO_AGENT_TEXT = "No agent is available to handle your message.";

  private final OnlineAgents onlineAgents = new OnlineAgents();
  private final RandomGenerator random;

  BrokerRouting(RandomGenerator random) {
    this.random = random;
  }

  /** Every update carries the full list by default, so the set is rebuilt from it. */
  void onStatusUpdate(JsonObject update) {
    JsonArray agents = update.getJsonArray("agents", new JsonArray());
    if (update.getBoolean("is_full_update", true)) {
      onlineAgents.replaceWith(agents);
    } else {
      onlineAgents.update(agents);
    }
  }

  boolean seesOnline(String agentId) {
    return onlineAgents.contains(agentId);
  }

  /** The message the broker {@code brokerId} publishes to broker_output_queue for one from broker_input_queue. */
  JsonObject route(JsonObject message, String brokerId) {
    if (MessageType.ERROR.name().equals(message.getString(Fields.MESSAGE_TYPE))) {
      return message;
    }
    String sender = senderOf(message);
    String receiver = message.getString(Fields.RECEIVER_ID, "");
    if (isFrontendOrBroker(receiver) || (onlineAgents.contains(receiver) && !receiver.equals(sender))) {
      return message;
    }
    List<String> candidates = onlineAgents.stream().filter(agent -> !agent.equals(sender)).sorted().toList();
    if (candidates.isEmpty()) {
      return noAgentError(message, sender, brokerId);
    }
    int chosen = message.getValue(Fields.MESSAGE_ID) instanceof String id
        ? Math.floorMod(id.hashCode(), candidates.size()) : random.nextInt(candidates.size());
    return message.copy().put(Fields.RECEIVER_ID, candidates.get(chosen));
  }

  private static String senderOf(JsonObject message) {
    String stamped = message.getString(Fields.CLIENT_ID);
    return stamped != null ? stamped : message.getString(Fields.SENDER_ID, "");
  }

  private static boolean isFrontendOrBroker(String receiver) {
    return ClientRole.ofId(receiver).filter(role -> role != ClientRole.AGENT).isPresent();
  }

  /** The hub routes a broker ERROR carrying {@code _client_id} to that client. */
  private static JsonObject noAgentError(JsonObject message, String sender, String brokerId) {
    JsonObject error = new JsonObject()
        .put(Fields.MESSAGE_TYPE, MessageType.ERROR.name())
        .put(Fields.MESSAGE_ID, UUID.randomUUID().toString())
        .put(Fields.SENDER_ID, brokerId)
        .put(Fields.RECEIVER_ID, sender)
        .put(Fields.CLIENT_ID, sender)
        .put(Fields.TEXT_PAYLOAD, NO_AGENT_TEXT)
        .put(Fields.SEND_TIMESTAMP, Timestamps.format(HubClock.SYSTEM.now()));
    String messageId = message.getString(Fields.MESSAGE_ID);
    if (messageId != null) {
      error.put(Fields.IN_REPLY_TO_MESSAGE_ID, messageId);
    }
    return error;
  }
}
