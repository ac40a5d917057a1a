package io.agenthub.bridge;

import io.agenthub.bus.StreamAddresses;
import io.agenthub.bus.StreamAsked;
import io.agenthub.protocol.Fields;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.Set;

/**
 * Protocol extension "streamed replies": before a message goes to an agent that streams its answers, the streams
 * verticle learns who sent it, so that the agent may answer it with a stream going to that client, and to no one
 * else. Agents that do not stream cost nothing here. Runs on the bridge's context.
 */
final class StreamAsks {
  private final EventBus bus;
  /** The agents that registered with {@code "streams": true}, from presence's changes. */
  private final Set<String> streamingAgents = new HashSet<>();

  StreamAsks(EventBus bus) {
    this.bus = bus;
  }

  /** These agents' status changed; {@code streaming} names those of them that stream. */
  void onAgentsChanged(JsonArray agents, JsonArray streaming) {
    Set<String> streams = new HashSet<>();
    streaming.forEach(id -> streams.add((String) id));
    for (int i = 0; i < agents.size(); i++) {
      String agentId = agents.getJsonObject(i).getString(Fields.AGENT_ID);
      if (streams.contains(agentId)) {
        streamingAgents.add(agentId);
      } else {
        streamingAgents.remove(agentId);
      }
    }
  }

  /**
   * Completes once the streams verticle knows that {@code message} goes to {@code agentId}, or at once when the agent
   * does not stream or the message names no sender; a failure to record it never holds the message back (the agent
   * is then refused a stream and answers with a REPLY).
   */
  Future<Void> beforeHandingTo(String agentId, JsonObject message) {
    if (!streamingAgents.contains(agentId)) {
      return Future.succeededFuture();
    }
    String messageId = message.getValue(Fields.MESSAGE_ID) instanceof String id ? id : null;
    String requester = message.getValue(Fields.SENDER_ID) instanceof String sender ? sender : null;
    if (messageId == null || requester == null || requester.isEmpty()) {
      return Future.succeededFuture();
    }
    return bus.request(StreamAddresses.STREAMS_ASKED, new StreamAsked(agentId, messageId, requester).toJson())
        .<Void>mapEmpty().otherwiseEmpty();
  }
}
