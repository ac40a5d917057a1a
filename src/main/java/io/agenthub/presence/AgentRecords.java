package io.agenthub.presence;

import io.agenthub.protocol.Fields;
import io.agenthub.protocol.Frames;
import io.vertx.core.json.JsonObject;

/** The keys presence adds to the shared agent and broker records for itself, never sent to clients. */
final class AgentRecords {
  /** The instance holding (or last holding) the client's socket. */
  static final String NODE_ID = "node_id";
  /** Whether the agent's socket is open, online or not: an open socket's id is never given to another. */
  static final String CONNECTED = "connected";

  private AgentRecords() {
  }

  /** A new status of one of this instance's agents: a higher revision, so every directory takes it. */
  static JsonObject statusChanged(JsonObject agent) {
    return agent.put(AgentDirectory.REVISION, AgentDirectory.revisionOf(agent) + 1)
        .put(Fields.LAST_SEEN, Frames.isoNow());
  }

  /** An agent whose id nobody else may take: online, or its socket still open after missing its PONGs. */
  static boolean onlineOrConnected(JsonObject agent) {
    return agent.getBoolean(Fields.IS_ONLINE, false) || agent.getBoolean(CONNECTED, false);
  }
}
