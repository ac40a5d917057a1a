package io.agenthub.gateway;

import io.agenthub.bus.Addresses;
import io.agenthub.bus.AgentList;
import io.agenthub.bus.AgentsQuery;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent list a frontend or broker gets once it registered, encoded once while the list stays the same: between
 * presence changes every registering frontend gets the same list, and encoding it for each was the hub's largest JSON
 * cost per registration. Comparing the lists is cheaper than encoding one. Delta clients still get their own
 * numbered frame from {@link Broadcast#textFor}.
 */
final class FirstStatus {
  private static final Logger LOG = LoggerFactory.getLogger(FirstStatus.class);

  private final EventBus bus;
  private final AgentDetailsView details;
  /** The last frame sent and the list it shows; both null before the first registration. */
  private Broadcast last;
  private JsonArray lastAgents;

  FirstStatus(EventBus bus, AgentDetailsView details) {
    this.bus = bus;
    this.details = details;
  }

  Future<Void> sendTo(ClientSession session) {
    return bus.<JsonObject>request(Addresses.PRESENCE_AGENTS, new AgentsQuery(false).toJson())
        .map(reply -> encoded(AgentList.fromJson(reply.body()).agents()))
        .onSuccess(status -> session.sendEncoded(status.textFor(session, details)))
        .onFailure(e -> LOG.warn("Could not send agent status to {}: {}", session.logId(), e.getMessage()))
        .mapEmpty();
  }

  private Broadcast encoded(JsonArray agents) {
    Broadcast cached = last;
    if (cached == null || !agents.equals(lastAgents)) {
      cached = Broadcast.fullStatus(agents);
      last = cached;
      lastAgents = agents;
    }
    return cached;
  }
}
