package io.agenthub.gateway;

import io.agenthub.bus.PresenceChanged;
import io.agenthub.protocol.Fields;
import io.agenthub.protocol.Frames;
import io.agenthub.protocol.MessageType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * One frame for many sockets, encoded once. A status update is the exception for clients that asked for delta
 * presence: each of them gets it numbered, and only the changed agents when the update names them; a client that
 * asked for agent details gets every entry with the agent's details added ({@link AgentDetailsView}).
 */
final class Broadcast {
  private final String encoded;
  /** The full list when the frame is an AGENT_STATUS_UPDATE; null when it is not, or not yet known. */
  private JsonArray allAgents;
  /** The agents whose change is announced, or null for a plain full update. */
  private final JsonArray changed;
  /** False while a frame that came encoded has not been looked into. */
  private boolean inspected;
  /** True when {@link #changed} already carries agent details (a load update): only details clients get it. */
  private final boolean detailed;
  /**
   * The agents this frame shows, with their details, once a details client needed them, and the version of the view
   * they were decorated from: a frame kept for later registrations is decorated again when the details changed.
   */
  private JsonArray decorated;
  private long decoratedVersion = -1;

  private Broadcast(String encoded, JsonArray allAgents, JsonArray changed, boolean inspected, boolean detailed) {
    this.encoded = encoded;
    this.allAgents = allAgents;
    this.changed = changed;
    this.inspected = inspected;
    this.detailed = detailed;
  }

  /**
   * A frame that came encoded ({@code GATEWAY_FAN_OUT}, a monitoring copy). It is decoded only if a recipient asked
   * for delta presence, to number it if it is a status update.
   */
  static Broadcast of(String encoded) {
    return new Broadcast(encoded, null, null, false, false);
  }

  static Broadcast of(JsonObject frame) {
    return new Broadcast(frame.encode(), null, null, true, false);
  }

  /** A full AGENT_STATUS_UPDATE, as a client's first one after registering and the periodic one. */
  static Broadcast fullStatus(JsonArray agents) {
    return new Broadcast(Frames.agentStatusUpdate(agents).encode(), agents, null, true, false);
  }

  /** The AGENT_STATUS_UPDATE of a presence change: the full list, or its changes for delta clients. */
  static Broadcast statusChange(PresenceChanged change) {
    return new Broadcast(Frames.agentStatusUpdate(change.agents()).encode(), change.agents(), change.changed(), true,
        false);
  }

  /**
   * Protocol extension "live load": the detailed entries of agents whose details changed, a delta only clients that
   * asked for agent details get (the caller writes it to those alone).
   */
  static Broadcast detailsChange(JsonArray entries) {
    return new Broadcast(null, entries, entries, true, true);
  }

  String textFor(ClientSession session, AgentDetailsView details) {
    if (!session.wantsDeltaStatus() || statusAgents() == null) {
      return encoded;
    }
    long seq = session.nextStatusSeq();
    boolean full = changed == null;
    JsonArray agents = full ? allAgents : changed;
    if (session.client().options().agentDetails() && !detailed) {
      if (decoratedVersion != details.version()) {
        decorated = details.decorate(agents);
        decoratedVersion = details.version();
      }
      agents = decorated;
    }
    return Frames.numberedStatusUpdate(agents, full, seq).encode();
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
