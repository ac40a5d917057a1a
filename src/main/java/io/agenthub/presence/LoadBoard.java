package io.agenthub.presence;

import io.agenthub.bus.AgentDetailsChanged;
import io.agenthub.bus.AgentMeasure;
import io.agenthub.bus.AnswerSeen;
import io.agenthub.bus.LoadAddresses;
import io.agenthub.bus.LoadMeasures;
import io.agenthub.bus.LoadReport;
import io.agenthub.bus.PongReceived;
import io.agenthub.clock.HubClock;
import io.agenthub.protocol.AgentDetails;
import io.agenthub.protocol.AgentGrade;
import io.agenthub.protocol.ClientRole;
import io.agenthub.protocol.ReportedLoad;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Protocol extensions "agent cards" and "live load": every agent's details as this instance's presence knows them.
 * The load comes from the latest report of every instance ({@link LoadReport}, summed by {@link SummedLoad}), the
 * card and the status from the {@link AgentDirectory}, the grade from {@link AgentGrading}. Each regrade publishes
 * the details that changed for the gateway ({@link LoadAddresses#PRESENCE_DETAILS_CHANGED}), so clients get at most
 * one load update per AGENT_LOAD_INTERVAL; a record that changed is published at once ({@link #recordsChanged}).
 * Runs on presence's context.
 */
final class LoadBoard {
  /** A report older than this many intervals is from an instance that stopped reporting: left out of the sums. */
  private static final int REPORT_LIFETIME_INTERVALS = 3;
  private static final AgentMeasure NOT_MEASURED = new AgentMeasure(null, 0, null, null, null, 0, null);

  private record Received(LoadMeasures measures, long atNanos) {
  }

  private final EventBus bus;
  private final String nodeId;
  private final AgentDirectory directory;
  private final Supplier<PresenceSettings> settings;
  private final HubClock clock;
  private final Map<String, Received> reports = new HashMap<>();
  /** The figures this instance's agents put in their last PONG. */
  private final Map<String, ReportedLoad> ownFigures = new HashMap<>();
  private final List<AnswerSeen> answeredElsewhere = new ArrayList<>();
  /** Each agent's queue depth at the last regrade, to tell a growing queue. */
  private final Map<String, Integer> lastDepth = new HashMap<>();
  /** The details last published for each agent: only what differs from them is published again. */
  private final Map<String, AgentDetails> shown = new HashMap<>();
  private Map<String, SummedLoad> summed = Map.of();

  LoadBoard(EventBus bus, String nodeId, AgentDirectory directory, Supplier<PresenceSettings> settings,
      HubClock clock) {
    this.bus = bus;
    this.nodeId = nodeId;
    this.directory = directory;
    this.settings = settings;
    this.clock = clock;
  }

  /** A PONG of one of this instance's agents, with or without figures (none clears the last ones). */
  void onPong(PongReceived pong) {
    if (pong.role() != ClientRole.AGENT) {
      return;
    }
    if (pong.load() == null) {
      ownFigures.remove(pong.clientId());
    } else {
      ownFigures.put(pong.clientId(), ReportedLoad.fromJson(pong.load()));
    }
  }

  /** The latest report of an instance, this one's included; answers another could not match may be ours. */
  void onReport(LoadReport report) {
    reports.put(report.nodeId(), new Received(report.measures(), clock.nanoTime()));
    if (!report.nodeId().equals(nodeId)) {
      answeredElsewhere.addAll(report.measures().unmatched());
    }
  }

  /** The answers other instances reported since the last call, for this instance's bridge to match. */
  List<AnswerSeen> takeAnsweredElsewhere() {
    List<AnswerSeen> taken = List.copyOf(answeredElsewhere);
    answeredElsewhere.clear();
    return taken;
  }

  /** This instance's measures with its own agents' PONG figures added (agents that left are dropped first). */
  LoadMeasures withOwnFigures(LoadMeasures measured) {
    ownFigures.keySet().removeIf(agentId -> !isOwnAndOnline(directory.get(agentId)));
    Map<String, AgentMeasure> agents = new LinkedHashMap<>(measured.agents());
    ownFigures.forEach((agentId, figures) ->
        agents.put(agentId, agents.getOrDefault(agentId, NOT_MEASURED).withReported(figures.toJson())));
    return new LoadMeasures(agents, measured.unmatched());
  }

  /** Grades every agent from the latest reports and publishes the details that changed since they were shown. */
  void regrade() {
    long now = clock.nanoTime();
    long lifetime = REPORT_LIFETIME_INTERVALS * settings.get().agentLoadInterval().toNanos();
    reports.values().removeIf(received -> now - received.atNanos() > lifetime);
    summed = SummedLoad.of(reports.values().stream().map(Received::measures).toList());
    JsonArray changed = new JsonArray();
    Map<String, AgentDetails> current = new HashMap<>();
    for (AgentPresence record : directory.records()) {
      AgentDetails details = detailsOf(record);
      current.put(record.agentId(), details);
      if (!details.equals(shown.get(record.agentId()))) {
        changed.add(details.entry(record.statusEntry().toJson()));
      }
    }
    shown.clear();
    shown.putAll(current);
    lastDepth.clear();
    summed.forEach((agentId, load) -> lastDepth.put(agentId, load.queueDepth()));
    if (!changed.isEmpty()) {
      bus.publish(LoadAddresses.PRESENCE_DETAILS_CHANGED, new AgentDetailsChanged(changed, true).toJson());
    }
  }

  /**
   * Records whose card or status changed: their details are published at once, announced to clients
   * ({@code announce}) or kept by the gateway for the status change that follows.
   */
  void recordsChanged(Collection<AgentPresence> records, boolean announce) {
    JsonArray entries = new JsonArray();
    for (AgentPresence record : records) {
      AgentDetails details = detailsOf(record);
      shown.put(record.agentId(), details);
      entries.add(details.entry(record.statusEntry().toJson()));
    }
    bus.publish(LoadAddresses.PRESENCE_DETAILS_CHANGED, new AgentDetailsChanged(entries, announce).toJson());
  }

  /** Every agent's detailed entry, in id order, as last graded. */
  JsonArray detailedEntries() {
    JsonArray entries = new JsonArray();
    for (AgentPresence record : directory.records()) {
      AgentDetails details = shown.get(record.agentId());
      entries.add((details != null ? details : detailsOf(record)).entry(record.statusEntry().toJson()));
    }
    return entries;
  }

  private AgentDetails detailsOf(AgentPresence record) {
    SummedLoad load = summed.getOrDefault(record.agentId(), SummedLoad.NOTHING);
    ReportedLoad reported = load.reported();
    AgentGrade grade = AgentGrading.grade(new AgentGrading.Inputs(record.online(),
            record.card() == null ? null : record.card().maxConcurrency(), load.unanswered(),
            reported == null ? null : reported.tasksInProgress(), load.queueDepth(), lastDepth.get(record.agentId()),
            load.waitingSince(), load.lastAnswerAt()),
        clock.now().toEpochMilli(), settings.get().agentStaleAfter());
    return new AgentDetails(record.card(), record.streams(), grade, load.figures());
  }

  private boolean isOwnAndOnline(AgentPresence record) {
    return record != null && record.online() && nodeId.equals(record.nodeId());
  }
}
