package io.agenthub.gateway;

import io.agenthub.bus.Addresses;
import io.agenthub.bus.AgentList;
import io.agenthub.bus.AgentsQuery;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The full AGENT_STATUS_UPDATE a client gets once registered, encoded once per version of presence's agent list.
 * Between two presence changes every registering frontend gets the same list: presence is asked only whether the
 * version held here is still current, so neither the list (a hundred agents, 11 KB) crosses the event bus nor is the
 * frame encoded again for each of thousands of registrations. Delta clients still get their own numbered frame, and
 * clients that asked for agent details their detailed one, from {@link Broadcast#textFor}. Touched only on the
 * gateway's context.
 */
final class FirstStatus {
  private static final Logger LOG = LoggerFactory.getLogger(FirstStatus.class);

  private final EventBus bus;
  private final AgentDetailsView details;
  /** The version of {@link #status}; 0 while none is held, or when presence keeps no versions. */
  private long version;
  private Broadcast status;

  FirstStatus(EventBus bus, AgentDetailsView details) {
    this.bus = bus;
    this.details = details;
  }

  Future<Void> sendTo(ClientSession session) {
    return current()
        .onSuccess(current -> session.sendEncoded(current.textFor(session, details)))
        .onFailure(e -> LOG.warn("Could not send agent status to {}: {}", session.logId(), e.getMessage()))
        .mapEmpty();
  }

  /** The frame for the list presence holds now. */
  Future<Broadcast> current() {
    return bus.<JsonObject>request(Addresses.PRESENCE_AGENTS, new AgentsQuery(false, version).toJson())
        .compose(reply -> take(AgentList.fromJson(reply.body())));
  }

  /**
   * Presence answers in the order it changes, so the versions of its replies only grow: an "unchanged" that arrives
   * after a newer list was taken finds that newer list here, which is what the client would be sent next anyway.
   */
  private Future<Broadcast> take(AgentList list) {
    if (list.unchanged()) {
      return status != null ? Future.succeededFuture(status)
          : Future.failedFuture("presence answered with no agent list, and none is held");
    }
    if (list.version() == 0 || list.version() != version || status == null) {
      status = Broadcast.fullStatus(list.agents());
      version = list.version();
    }
    return Future.succeededFuture(status);
  }
}
