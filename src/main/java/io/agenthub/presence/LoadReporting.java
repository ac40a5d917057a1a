package io.agenthub.presence;

import io.agenthub.bus.LoadAddresses;
import io.agenthub.bus.LoadMeasures;
import io.agenthub.bus.LoadReport;
import io.agenthub.bus.LoadSample;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Protocol extension "live load", once per AGENT_LOAD_INTERVAL: asks this instance's bridge for its measures (the
 * depth of its own online agents' queues polled), publishes them to every instance with its agents' PONG figures,
 * and regrades. Reports from every instance are taken in as they come. An instance with nothing to report sends one
 * empty report, then none until it has something again.
 */
final class LoadReporting {
  private static final LoadMeasures NOTHING = new LoadMeasures(Map.of(), List.of());

  private final Vertx vertx;
  private final String nodeId;
  private final LoadBoard board;
  private final Supplier<List<String>> ownOnlineAgents;
  private final Supplier<PresenceSettings> settings;
  private long timer = -1;
  private boolean lastReportEmpty;
  private boolean stopped;

  LoadReporting(Vertx vertx, String nodeId, LoadBoard board, Supplier<List<String>> ownOnlineAgents,
      Supplier<PresenceSettings> settings) {
    this.vertx = vertx;
    this.nodeId = nodeId;
    this.board = board;
    this.ownOnlineAgents = ownOnlineAgents;
    this.settings = settings;
  }

  /** Completes once this instance hears the reports of all instances. */
  Future<Void> start() {
    schedule();
    return vertx.eventBus().<JsonObject>consumer(LoadAddresses.PRESENCE_LOAD_REPORT,
        msg -> board.onReport(LoadReport.fromJson(msg.body()))).completion();
  }

  void stop() {
    stopped = true;
    vertx.cancelTimer(timer);
  }

  /** The interval is read at every tick, so a new AGENT_LOAD_INTERVAL applies from the next one. */
  private void schedule() {
    if (!stopped) {
      timer = vertx.setTimer(Math.max(1, settings.get().agentLoadInterval().toMillis()), t -> tick());
    }
  }

  private void tick() {
    long timeout = Math.max(1_000, settings.get().agentLoadInterval().toMillis());
    LoadSample sample = new LoadSample(ownOnlineAgents.get(), board.takeAnsweredElsewhere());
    vertx.eventBus().<JsonObject>request(LoadAddresses.BRIDGE_LOAD, sample.toJson(),
            new DeliveryOptions().setSendTimeout(timeout))
        .map(reply -> LoadMeasures.fromJson(reply.body()))
        .otherwise(NOTHING)
        .onSuccess(this::report)
        .onComplete(done -> schedule());
  }

  private void report(LoadMeasures measured) {
    LoadReport report = new LoadReport(nodeId, board.withOwnFigures(measured));
    boolean empty = report.measures().agents().isEmpty() && report.measures().unmatched().isEmpty();
    board.onReport(report);
    if (!empty || !lastReportEmpty) {
      vertx.eventBus().publish(LoadAddresses.PRESENCE_LOAD_REPORT, report.toJson());
    }
    lastReportEmpty = empty;
    board.regrade();
  }
}
