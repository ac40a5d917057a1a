package io.agenthub.presence;

import io.agenthub.bus.AgentMeasure;
import io.agenthub.bus.LoadMeasures;
import io.agenthub.protocol.LoadFigures;
import io.agenthub.protocol.ReportedLoad;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * One agent's load over the whole deployment: the latest measures of every instance summed. Each instance counts the
 * messages it handed, so counts add up; the queue depth and the agent's own figures come from the instance holding
 * its socket alone; of the times, the oldest wait and the latest answer count; latencies are averaged, each
 * instance's weighed by the answers it saw. Pure.
 */
record SummedLoad(Integer queueDepth, int unanswered, Long waitingSince, Long lastAnswerAt, Long latencyMs,
    ReportedLoad reported) {

  static final SummedLoad NOTHING = new SummedLoad(null, 0, null, null, null, null);

  /** Every agent some report names, with its load summed over the reports. */
  static Map<String, SummedLoad> of(Collection<LoadMeasures> reports) {
    Map<String, Summing> sums = new HashMap<>();
    for (LoadMeasures report : reports) {
      report.agents().forEach((agentId, measure) -> sums.computeIfAbsent(agentId, id -> new Summing()).add(measure));
    }
    Map<String, SummedLoad> summed = new HashMap<>();
    sums.forEach((agentId, sum) -> summed.put(agentId, sum.result()));
    return summed;
  }

  LoadFigures figures() {
    return new LoadFigures(queueDepth, unanswered, latencyMs, reported);
  }

  private static final class Summing {
    private Integer queueDepth;
    private int unanswered;
    private Long waitingSince;
    private Long lastAnswerAt;
    private double weightedLatency;
    private double latencyWeight;
    private ReportedLoad reported;

    void add(AgentMeasure measure) {
      if (measure.queueDepth() != null) {
        queueDepth = queueDepth == null ? measure.queueDepth() : Math.max(queueDepth, measure.queueDepth());
      }
      unanswered += measure.unanswered();
      if (measure.waitingSince() != null) {
        waitingSince = waitingSince == null ? measure.waitingSince() : Math.min(waitingSince, measure.waitingSince());
      }
      if (measure.lastAnswerAt() != null) {
        lastAnswerAt = lastAnswerAt == null ? measure.lastAnswerAt() : Math.max(lastAnswerAt, measure.lastAnswerAt());
      }
      if (measure.latencyMs() != null) {
        double weight = Math.max(1, measure.answers());
        weightedLatency += weight * measure.latencyMs();
        latencyWeight += weight;
      }
      if (measure.reported() != null) {
        reported = ReportedLoad.fromJson(measure.reported());
      }
    }

    SummedLoad result() {
      Long latency = latencyWeight == 0 ? null : Math.round(weightedLatency / latencyWeight);
      return new SummedLoad(queueDepth, unanswered, waitingSince, lastAnswerAt, latency, reported);
    }
  }
}
