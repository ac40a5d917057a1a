package io.agenthub.bridge;

import io.agenthub.clock.HubClock;
import io.agenthub.protocol.Queues;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Protocol extension "live load": the depth of the queues of this instance's online agents, polled once per
 * AGENT_LOAD_INTERVAL on a worker thread, so the bridge's own thread never waits for RabbitMQ's answers. At most
 * {@value #MAX_POLLED} queues are polled per round, taking turns; an agent not polled this round keeps its last depth.
 * Also remembers since when each queue has held messages, for the stale grade. Runs on the bridge's context.
 */
final class QueueDepths {
  static final int MAX_POLLED = 500;

  /** A queue's ready messages, and since when it has not been empty (null while empty). */
  record Depth(int ready, Long nonEmptySince) {
  }

  private final Vertx vertx;
  private final Supplier<AmqpLink> currentLink;
  private final HubClock clock;
  private final Map<String, Depth> depths = new HashMap<>();
  private int nextTurn;

  QueueDepths(Vertx vertx, Supplier<AmqpLink> currentLink, HubClock clock) {
    this.vertx = vertx;
    this.currentLink = currentLink;
    this.clock = clock;
  }

  /** Polls a round of these agents' queues; completes with the depth of each agent known, never fails. */
  Future<Map<String, Depth>> poll(List<String> agentIds) {
    depths.keySet().retainAll(agentIds);
    AmqpLink link = currentLink.get();
    if (agentIds.isEmpty() || link == null || !link.isOpen()) {
      return Future.succeededFuture(Map.copyOf(depths));
    }
    List<String> round = thisRound(agentIds);
    List<String> queues = round.stream().map(Queues::agentQueue).toList();
    return vertx.executeBlocking(() -> link.readyCounts(queues), false)
        .map(counts -> {
          long now = clock.now().toEpochMilli();
          round.forEach(agentId -> record(agentId, counts.get(Queues.agentQueue(agentId)), now));
          return Map.copyOf(depths);
        })
        .otherwise(e -> Map.copyOf(depths));
  }

  private List<String> thisRound(List<String> agentIds) {
    if (agentIds.size() <= MAX_POLLED) {
      return agentIds;
    }
    int from = nextTurn % agentIds.size();
    nextTurn = from + MAX_POLLED;
    List<String> round = new ArrayList<>(agentIds.subList(from, Math.min(agentIds.size(), from + MAX_POLLED)));
    if (round.size() < MAX_POLLED) {
      round.addAll(agentIds.subList(0, MAX_POLLED - round.size()));
    }
    return round;
  }

  /** A queue that does not exist holds nothing. */
  private void record(String agentId, Integer ready, long now) {
    int count = ready == null ? 0 : ready;
    Depth before = depths.get(agentId);
    Long since = null;
    if (count > 0) {
      since = before != null && before.nonEmptySince() != null ? before.nonEmptySince() : now;
    }
    depths.put(agentId, new Depth(count, since));
  }
}
