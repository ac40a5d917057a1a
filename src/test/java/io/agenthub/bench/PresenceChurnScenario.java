package io.agenthub.bench;

import io.agenthub.protocol.ClientRole;
import io.agenthub.protocol.Fields;
import io.agenthub.protocol.MessageType;
import io.agenthub.support.CommandOptions;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;

/**
 * presence-churn: A agents go offline (socket closed) and online again (registering with their previous id) at a set
 * rate of changes per second while F frontends watch. A change counts as seen when every frontend has received a
 * status update showing it; its delay runs from the agent's action to the last frontend's update.
 */
final class PresenceChurnScenario {
  private static final long CHANGE_TIMEOUT_NANOS = 10_000_000_000L;

  private final Vertx vertx;
  private final int agentCount;
  private final int frontendCount;
  private final double changesPerSecond;
  private final double warmupSeconds;
  private final double durationSeconds;
  private final Map<String, Change> pending = new ConcurrentHashMap<>();
  private final Histogram delayMicros = RoundTripResult.newHistogram();
  private final LongAdder updatesDelivered = new LongAdder();
  private final LongAdder errors = new LongAdder();
  private final LongAdder timeouts = new LongAdder();
  private final LongAdder changesMade = new LongAdder();
  private long skippedTicks;
  private volatile RunWindow window = new RunWindow(Long.MAX_VALUE, Long.MAX_VALUE);

  /** One agent's change of state, waiting to be seen by every frontend. */
  private static final class Change {
    final boolean online;
    final long madeAtNanos;
    final Map<Integer, Boolean> seenBy = new ConcurrentHashMap<>();
    final AtomicInteger seen = new AtomicInteger();

    Change(boolean online, long madeAtNanos) {
      this.online = online;
      this.madeAtNanos = madeAtNanos;
    }
  }

  PresenceChurnScenario(Vertx vertx, CommandOptions options) {
    this.vertx = vertx;
    this.agentCount = options.integer("agents", 20);
    this.frontendCount = options.integers("frontends", "50").get(0);
    this.changesPerSecond = options.decimal("rate", 20);
    this.warmupSeconds = options.decimal("warmup", 3);
    this.durationSeconds = options.decimal("duration", 20);
  }

  JsonObject run(String url) throws Exception {
    WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(100_000)
        .setMaxFrameSize(4 * 1_048_576).setMaxMessageSize(16 * 1_048_576));
    WebSocketConnectOptions target = new WebSocketConnectOptions().setAbsoluteURI(url);
    Context conductor = vertx.getOrCreateContext();
    List<BenchClient> agents = new ArrayList<>();
    List<String> agentIds = new ArrayList<>();
    for (int i = 0; i < agentCount; i++) {
      BenchClient agent = new BenchClient(client, target, ClientRole.AGENT, "Churn-" + i, (type, text) -> { });
      agentIds.add(Bench.await(Bench.onContext(conductor, () -> agent.connect(null))));
      agents.add(agent);
    }
    List<BenchClient> frontends = new ArrayList<>();
    for (int i = 0; i < frontendCount; i++) {
      int index = i;
      BenchClient frontend = new BenchClient(client, target, ClientRole.FRONTEND, "Watcher-" + i,
          (type, text) -> onFrontendFrame(index, type, text));
      Bench.await(Bench.onContext(vertx.getOrCreateContext(), () -> frontend.connect(null)));
      frontends.add(frontend);
    }

    window = RunWindow.after(warmupSeconds, durationSeconds);
    boolean[] online = new boolean[agentCount];
    Arrays.fill(online, true);
    int[] nextAgent = {0};
    Promise<Void> ticking = Promise.promise();
    long periodMs = Math.max(1, Math.round(1000 / changesPerSecond));
    conductor.runOnContext(v -> vertx.setPeriodic(periodMs, timer -> {
      long now = System.nanoTime();
      expireChanges(now);
      if (window.isOver(now)) {
        vertx.cancelTimer(timer);
        ticking.complete();
        return;
      }
      int chosen = nextIdle(nextAgent[0], agentIds);
      if (chosen < 0) {
        skippedTicks++;
        return;
      }
      nextAgent[0] = (chosen + 1) % agentCount;
      String agentId = agentIds.get(chosen);
      boolean goingOnline = !online[chosen];
      online[chosen] = goingOnline;
      pending.put(agentId, new Change(goingOnline, now));
      if (window.measures(now)) {
        changesMade.increment();
      }
      BenchClient agent = agents.get(chosen);
      Future<?> acted = goingOnline ? agent.connect(agentId) : agent.close();
      acted.onFailure(e -> errors.increment());
    }));
    Bench.await(ticking.future());
    Bench.await(drain());

    Bench.await(Future.join(frontends.stream().map(BenchClient::close).toList()));
    Bench.await(Future.join(agents.stream().map(BenchClient::close).toList()));
    client.close();
    int hintedRetries = agents.stream().mapToInt(BenchClient::hintedRetries).sum();
    JsonObject delay;
    synchronized (delayMicros) {
      delay = RoundTripResult.latencyJson(delayMicros);
    }
    return new JsonObject()
        .put("agents", agentCount).put("frontends", frontendCount).put("changes_per_s_asked", changesPerSecond)
        .put("warmup_s", warmupSeconds).put("duration_s", durationSeconds)
        .put("changes_made", changesMade.sum())
        .put("changes_seen_by_all", delayMicros.getTotalCount())
        .put("status_updates_delivered", updatesDelivered.sum())
        .put("status_updates_per_s", Math.round(updatesDelivered.sum() / window.seconds()))
        .put("change_to_last_frontend_ms", delay)
        .put("skipped_ticks", skippedTicks)
        .put("hinted_retries", hintedRetries)
        .put("errors", errors.sum())
        .put("timeouts", timeouts.sum());
  }

  /** The next agent, from {@code from} on, with no change still waiting to be seen; -1 if all are busy. */
  private int nextIdle(int from, List<String> agentIds) {
    for (int i = 0; i < agentCount; i++) {
      int candidate = (from + i) % agentCount;
      if (!pending.containsKey(agentIds.get(candidate))) {
        return candidate;
      }
    }
    return -1;
  }

  private void onFrontendFrame(int frontend, String type, String text) {
    if (!MessageType.AGENT_STATUS_UPDATE.name().equals(type)) {
      return;
    }
    long now = System.nanoTime();
    if (window.measures(now)) {
      updatesDelivered.increment();
    }
    if (pending.isEmpty()) {
      return;
    }
    JsonArray agents = new JsonObject(text).getJsonArray("agents");
    for (int i = 0; i < agents.size(); i++) {
      JsonObject agent = agents.getJsonObject(i);
      String agentId = agent.getString(Fields.AGENT_ID);
      Change change = pending.get(agentId);
      if (change != null && change.online == agent.getBoolean(Fields.IS_ONLINE, false)
          && change.seenBy.putIfAbsent(frontend, Boolean.TRUE) == null
          && change.seen.incrementAndGet() == frontendCount && pending.remove(agentId, change)
          && window.measures(change.madeAtNanos)) {
        synchronized (delayMicros) {
          delayMicros.recordValue(Math.min((now - change.madeAtNanos) / 1_000, delayMicros.getHighestTrackableValue()));
        }
      }
    }
  }

  private void expireChanges(long now) {
    pending.forEach((agentId, change) -> {
      if (now - change.madeAtNanos > CHANGE_TIMEOUT_NANOS && pending.remove(agentId, change)
          && window.measures(change.madeAtNanos)) {
        timeouts.increment();
      }
    });
  }

  /** Waits, checking every 50 ms, until every change made has been seen or has timed out. */
  private Future<Void> drain() {
    Promise<Void> drained = Promise.promise();
    vertx.setPeriodic(50, timer -> {
      expireChanges(System.nanoTime());
      if (pending.isEmpty()) {
        vertx.cancelTimer(timer);
        drained.complete();
      }
    });
    return drained.future();
  }
}
