package io.agenthub.gateway;

import io.agenthub.bus.AgentDetailsChanged;
import io.agenthub.bus.FanOut;
import io.agenthub.bus.HeartbeatTick;
import io.agenthub.bus.MonitorCopy;
import io.agenthub.bus.PresenceChanged;
import io.agenthub.clock.HubClock;
import io.agenthub.metrics.HubMetrics;
import io.agenthub.protocol.ClientRole;
import io.agenthub.protocol.Frames;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes what is meant for many sockets of this instance: presence changes (batched), the timers' frames, fan-outs
 * and monitoring copies. Status changes are batched until the messages already queued for this event loop have been
 * handled; anything else sends the batch first, so no frame overtakes another. (Named for what it does: the bus
 * payload it consumes is {@link FanOut}.)
 */
final class Broadcaster {
  private static final Logger LOG = LoggerFactory.getLogger(Broadcaster.class);
  private static final int BROADCAST_SLICE = 500;
  private static final Set<ClientRole> WATCHERS = EnumSet.of(ClientRole.FRONTEND, ClientRole.BROKER);

  private final Context context;
  private final ClientRegistry clients;
  private final MeterRegistry metrics;
  private final HubClock clock;
  private final AgentDetailsView details;
  /** Status changes waiting for the end of the current run of queued messages; null when there are none. */
  private StatusBatch pendingStatus;

  Broadcaster(Context context, ClientRegistry clients, MeterRegistry metrics, HubClock clock,
      AgentDetailsView details) {
    this.clock = clock;
    this.details = details;
    this.context = context;
    this.clients = clients;
    this.metrics = metrics;
  }

  /** A change that names no agent (presence took in records ahead of their announcement) has nothing for clients. */
  void onPresenceChanged(PresenceChanged change) {
    if (change.changed() == null || change.changed().isEmpty()) {
      return;
    }
    if (pendingStatus != null && !pendingStatus.accepts(change)) {
      flushStatusBatch();
    }
    if (pendingStatus == null) {
      pendingStatus = new StatusBatch();
      context.runOnContext(v -> flushStatusBatch());
    }
    pendingStatus.add(change);
  }

  /** Each instance's timers reach only its own sockets, so a client gets one of each, never one per instance. */
  void onHeartbeat(HeartbeatTick tick) {
    switch (tick.timer()) {
      case HeartbeatTick.AGENT_PING -> send(EnumSet.of(ClientRole.AGENT), null, Broadcast.of(Frames.ping()));
      case HeartbeatTick.SERVER_HEARTBEAT ->
          send(EnumSet.allOf(ClientRole.class), null, Broadcast.of(Frames.serverHeartbeat(clock.now())));
      case HeartbeatTick.AGENT_STATUS -> {
        details.retainOnly(tick.agents());
        send(WATCHERS, null, Broadcast.fullStatus(tick.agents()));
      }
      default -> LOG.warn("Heartbeat tick {} is not one the gateway knows; ignored", tick.timer());
    }
  }

  /**
   * Protocol extensions "agent cards" and "live load": presence's details are kept for the status updates that follow,
   * and those it announces go at once to the clients that asked for agent details, as a numbered delta.
   */
  void onDetailsChanged(AgentDetailsChanged change) {
    details.update(change.entries());
    if (change.announce()) {
      flushStatusBatch();
      write(clients.recipients(WATCHERS, null).stream()
          .filter(session -> session.client().options().agentDetails()).toList(),
          Broadcast.detailsChange(change.entries()));
    }
  }

  void onFanOut(FanOut fanOut) {
    List<ClientRole> roles = fanOut.roles().stream()
        .map(role -> ClientRole.forConnectionType(String.valueOf(role)).orElseThrow()).toList();
    send(roles, fanOut.except(), Broadcast.of(fanOut.frame()));
  }

  /**
   * Completes once the copy was handed to every frontend socket of this instance but the one named, and but those
   * that already got a frame with the copy's key (the message was routed again after a redelivery).
   */
  Future<Void> onMonitorCopy(MonitorCopy copy) {
    return send(EnumSet.of(ClientRole.FRONTEND), copy.except(), Broadcast.of(copy.frame()), copy.key());
  }

  private void flushStatusBatch() {
    if (pendingStatus != null) {
      StatusBatch batch = pendingStatus;
      pendingStatus = null;
      write(clients.recipients(WATCHERS, null), Broadcast.statusChange(batch.toChange()));
    }
  }

  private Future<Void> send(Collection<ClientRole> roles, String except, Broadcast broadcast) {
    return send(roles, except, broadcast, null);
  }

  private Future<Void> send(Collection<ClientRole> roles, String except, Broadcast broadcast, String key) {
    flushStatusBatch();
    return write(clients.recipients(roles, except), broadcast, key);
  }

  private Future<Void> write(List<ClientSession> recipients, Broadcast broadcast) {
    return write(recipients, broadcast, null);
  }

  private Future<Void> write(List<ClientSession> recipients, Broadcast broadcast, String key) {
    Promise<Void> written = Promise.promise();
    writeSlices(recipients, 0, broadcast, key, written);
    return written.future();
  }

  /**
   * Writes a broadcast BROADCAST_SLICE sockets at a time, yielding the event loop in between: a full status update to
   * twenty thousand frontends is hundreds of megabytes and would otherwise block the loop for seconds. Slices run in
   * order, so every socket still gets broadcasts in the order they were published.
   */
  private void writeSlices(List<ClientSession> recipients, int from, Broadcast broadcast, String key,
      Promise<Void> written) {
    int to = Math.min(recipients.size(), from + BROADCAST_SLICE);
    for (int i = from; i < to; i++) {
      ClientSession session = recipients.get(i);
      if (session.alreadyWrote(key)) {
        HubMetrics.duplicateSuppressed(metrics);
        LOG.debug("Monitoring copy with delivery key {} already written to {}; not written again", key,
            session.logId());
      } else {
        session.sendEncoded(broadcast.textFor(session, details)).onFailure(e -> session.recentKeys().forget(key));
      }
    }
    if (to < recipients.size()) {
      context.runOnContext(v -> writeSlices(recipients, to, broadcast, key, written));
    } else {
      written.complete();
    }
  }
}
