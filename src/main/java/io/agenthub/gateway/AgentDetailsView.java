package io.agenthub.gateway;

import io.agenthub.protocol.AgentDetails;
import io.agenthub.protocol.Fields;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Protocol extensions "agent cards" and "live load": the gateway's copy of every agent's details (grade, load, card),
 * kept from presence's publications, to render the status updates of the clients that registered with
 * {@code "status_updates":"details"}. The status lists presence publishes stay the contract's; this view adds the
 * details to a copy for those clients only. Touched only on the gateway's context.
 */
final class AgentDetailsView {
  private final Map<String, AgentDetails> details = new HashMap<>();
  /** Raised at every update, so that a list decorated earlier is known to be out of date. */
  private long version;

  /** Detailed entries from presence: each replaces what was known of its agent. */
  void update(JsonArray entries) {
    version++;
    for (int i = 0; i < entries.size(); i++) {
      JsonObject entry = entries.getJsonObject(i);
      details.put(entry.getString(Fields.AGENT_ID), AgentDetails.fromJson(entry));
    }
  }

  /** The contract's entries with each agent's details added; an agent not known yet gets the initial ones. */
  JsonArray decorate(JsonArray entries) {
    JsonArray decorated = new JsonArray();
    for (int i = 0; i < entries.size(); i++) {
      JsonObject entry = entries.getJsonObject(i);
      AgentDetails known = details.get(entry.getString(Fields.AGENT_ID));
      decorated.add((known != null ? known : AgentDetails.initial(null, false, false)).entry(entry));
    }
    return decorated;
  }

  long version() {
    return version;
  }

  /** A full list: agents missing from it were forgotten by presence, and their details go too. */
  void retainOnly(JsonArray fullList) {
    Set<String> listed = new HashSet<>();
    for (int i = 0; i < fullList.size(); i++) {
      listed.add(fullList.getJsonObject(i).getString(Fields.AGENT_ID));
    }
    details.keySet().retainAll(listed);
  }
}
