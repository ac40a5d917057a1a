package io.agenthub.gateway;

import io.agenthub.protocol.Fields;
import io.agenthub.protocol.Frames;
import io.agenthub.protocol.MessageType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * One frame for many sockets, encoded once. A status update is the exception for clients that asked for delta
 * presence: each of them gets it numbered, and only the changed agents when the announcement names them.
 *
 * @param allAgents the full list when the frame is an AGENT_STATUS_UPDATE, else null
 * @param changed the agents whose change is announced, or null for a plain full update
 */
record Broadcast(String encoded, JsonArray allAgents, JsonArray changed) {

  /** From a {@code GATEWAY_BROADCAST} payload. */
  static Broadcast of(JsonObject body) {
    JsonObject frame = body.getJsonObject("frame");
    boolean statusUpdate = MessageType.AGENT_STATUS_UPDATE.name().equals(frame.getString(Fields.MESSAGE_TYPE));
    return new Broadcast(frame.encode(), statusUpdate ? frame.getJsonArray("agents") : null,
        statusUpdate ? body.getJsonArray("changed") : null);
  }

  /** A full AGENT_STATUS_UPDATE, as a client's first one after registering. */
  static Broadcast fullStatus(JsonArray agents) {
    return new Broadcast(Frames.agentStatusUpdate(agents).encode(), agents, null);
  }

  String textFor(ClientSession session) {
    if (allAgents == null || !session.wantsDeltaStatus()) {
      return encoded;
    }
    long seq = session.nextStatusSeq();
    return (changed != null
        ? Frames.numberedStatusUpdate(changed, false, seq)
        : Frames.numberedStatusUpdate(allAgents, true, seq)).encode();
  }
}
