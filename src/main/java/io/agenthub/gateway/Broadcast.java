package io.agenthub.gateway;

import io.agenthub.bus.PresenceChanged;
import io.agenthub.protocol.Fields;
import io.agenthub.protocol.Frames;
import io.agenthub.protocol.MessageType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * One frame for many sockets, encoded once. A status update is the exception for clients that asked for delta
 * presence: each of them gets it numbered, and only the changed agents when the update names them.
 */
final class Broadcast {
  private final String encoded;
  /** The full list when the frame is an AGENT_STATUS_UPDATE; null when it is not, or not yet known. */
  private JsonArray allAgents;
  /** The agents whose change is announced, or null for a plain full update. */
  private final JsonArray changed;
  /** False while a frame that came encoded has not been looked into. */
  private boolean inspected;

  private Broadcast(String encoded, JsonArray allAgents, JsonArray changed, boolean inspected) {
    this.encoded = encoded;
    this.allAgents = allAgents;
    this.changed = changed;
    this.inspected = inspected;
  }

  /**
   * A frame that came encoded ({@code GATEWAY_FAN_OUT}, a monitoring copy). It is decoded only if a recipient asked
   * for delta presence, to number it if it is a status update.
   */
  static Broadcast of(String encoded) {
    return new Broadcast(encoded, null, null, false);
  }

  static Broadcast of(JsonObject frame) {
    return new Broadcast(frame.encode(), null, null, true);
  }

  /** A full AGENT_STATUS_UPDATE, as a client's first one after registering and the periodic one. */
  static Broadcast fullStatus(JsonArray agents) {
    return new Broadcast(Frames.agentStatusUpdate(agents).encode(), agents, null, true);
  }

  /** The AGENT_STATUS_UPDATE of a presence change: the full list, or its changes for delta clients. */
  static Broadcast statusChange(PresenceChanged change) {
    return new Broadcast(Frames.agentStatusUpdate(change.agents()).encode(), change.agents(), change.changed(), true);
  }

  String textFor(ClientSession session) {
    if (!session.wantsDeltaStatus() || statusAgents() == null) {
      return encoded;
    }
    long seq = session.nextStatusSeq();
    return (changed != null
        ? Frames.numberedStatusUpdate(changed, false, seq)
        : Frames.numberedStatusUpdate(allAgents, true, seq)).encode();
  }

  private JsonArray statusAgents() {
    if (!inspected) {
      inspected = true;
      JsonObject frame = new JsonObject(encoded);
      if (MessageType.AGENT_STATUS_UPDATE.name().equals(frame.getString(Fields.MESSAGE_TYPE))) {
        allAgents = frame.getJsonArray("agents");
      }
    }
    return allAgents;
  }
}
