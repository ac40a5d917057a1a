package io.agenthub.bus;

import io.vertx.core.json.JsonObject;

/**
 * Request on {@link Addresses#PRESENCE_AGENTS}; {@code refresh} takes in the shared store first. {@code knownVersion}
 * is the version of the list the asker already holds (0 for none): when it is still the current one, the reply
 * carries no list ({@link AgentList#unchanged()}).
 */
public record AgentsQuery(boolean refresh, long knownVersion) {

  /** Asks for the whole list, whatever its version. */
  public AgentsQuery(boolean refresh) {
    this(refresh, 0);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("refresh", refresh)
        .put("known_version", knownVersion);
  }

  public static AgentsQuery fromJson(JsonObject json) {
    return new AgentsQuery(json.getBoolean("refresh", false), json.getLong("known_version", 0L));
  }
}
