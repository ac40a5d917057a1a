package io.agenthub.support;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Proves that no further status update follows, without waiting out a quiet window: a sentinel agent registers on
 * each instance given, and a watcher reads on until it has seen every sentinel online. Presence handles an
 * instance's changes in order and one instance's announcements reach the others in order, so a second copy of a
 * change that every instance had handled before the sentinels registered arrives before them, and lists none of
 * them.
 */
public final class StatusSentinels implements AutoCloseable {
  private final List<WsClient> agents = new ArrayList<>();

  private StatusSentinels() {
  }

  /** Call once every instance has handled the change in question, e.g. once a watcher on each has seen it. */
  public static StatusSentinels registerOn(int... ports) throws Exception {
    StatusSentinels sentinels = new StatusSentinels();
    try {
      for (int port : ports) {
        sentinels.agents.add(WsClient.register(port, "agent", "Sentinel"));
      }
    } catch (Exception | AssertionError e) {
      sentinels.close();
      throw e;
    }
    return sentinels;
  }

  /** Every status update the watcher gets up to the one in which the last of the sentinels shows online. */
  public List<JsonObject> updatesUntilOnline(WsClient watcher) throws InterruptedException {
    Set<String> pending = new HashSet<>(agents.stream().map(WsClient::id).toList());
    List<JsonObject> updates = new ArrayList<>();
    while (!pending.isEmpty()) {
      JsonObject update = watcher.next("AGENT_STATUS_UPDATE");
      updates.add(update);
      pending.removeIf(id -> Messages.statusShows(update, id, true));
    }
    return updates;
  }

  /** The updates the watcher got before the sentinels' that list none of them: the copies of earlier changes. */
  public List<JsonObject> earlierUpdates(WsClient watcher) throws InterruptedException {
    return updatesUntilOnline(watcher).stream().filter(this::listsNone).toList();
  }

  /**
   * Closes the sentinels and reads each watcher on until it shows all of them offline. A status update is the whole
   * list, and the sentinels' departures are announced by their own instances, in no order with other changes: left
   * unread, one would come after the next change and repeat it.
   */
  public void closeAndAwaitOffline(List<WsClient> watchers) throws InterruptedException {
    close();
    for (WsClient watcher : watchers) {
      watcher.next(update -> agents.stream().allMatch(agent -> Messages.statusShows(update, agent.id(), false)),
          WsClient.TIMEOUT);
    }
  }

  private boolean listsNone(JsonObject update) {
    return agents.stream().noneMatch(agent -> Messages.findAgent(update.getJsonArray("agents"), agent.id()) != null);
  }

  @Override
  public void close() {
    agents.forEach(WsClient::close);
  }
}
