package io.agenthub.presence;

import io.agenthub.cluster.ClusterSupport;
import io.agenthub.bus.Addresses;
import io.agenthub.bus.PresenceChanged;
import io.agenthub.config.HubConfig;
import io.agenthub.protocol.ClientIds;
import io.agenthub.protocol.ClientRole;
import io.agenthub.protocol.Fields;
import io.agenthub.protocol.Frames;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only writer of presence: which agents and brokers exist, which are online, when each was last seen.
 * Decisions about an agent are made by the instance holding its socket; the records live in a {@link PresenceStore}
 * shared by every instance. The deciding instance announces each change to the presence verticle of every instance,
 * which merges it into its {@link AgentDirectory} and sends its own frontends and brokers one full
 * AGENT_STATUS_UPDATE built from that directory.
 */
public final class PresenceVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(PresenceVerticle.class);
  private static final int ID_ATTEMPTS = 8;
  /** Record keys for presence itself, never sent to clients: the instance holding the socket, and whether it is open. */
  private static final String NODE_ID = "node_id";
  static final String CONNECTED = "connected";
  /** Forgetting is spread over sweeps, so a lowered MAX_OFFLINE_AGENTS never floods the shared store at once. */
  private static final int FORGET_BATCH = 1_000;

  private final String nodeId;
  private HubConfig config;
  private PresenceStore store;
  private final AgentDirectory directory = new AgentDirectory();
  /** Agents whose socket this instance holds, with the monotonic time of their last sign of life. */
  private final Map<String, JsonObject> ownAgents = new HashMap<>();
  private final Map<String, Long> lastSignOfLife = new HashMap<>();
  private final Map<String, JsonObject> ownBrokers = new HashMap<>();
  private AwaySessions awaySessions;
  /** Writes are chained so that two changes of one agent reach the shared store in the order they happened. */
  private Future<Void> writes = Future.succeededFuture();
  private boolean forgetting;

  public PresenceVerticle(String nodeId) {
    this.nodeId = nodeId;
  }

  @Override
  public Future<?> start() {
    config = HubConfig.fromJson(config());
    awaySessions = new AwaySessions(vertx, nodeId, () -> store, () -> config, this::write);
    vertx.eventBus().<JsonObject>localConsumer(Addresses.CONFIG_CHANGED, msg -> config = HubConfig.fromJson(msg.body()));
    vertx.eventBus().<JsonObject>localConsumer(Addresses.PRESENCE_REGISTER, this::onRegister);
    vertx.eventBus().<JsonObject>localConsumer(Addresses.PRESENCE_DISCONNECTED, this::onDisconnected);
    vertx.eventBus().<JsonObject>localConsumer(Addresses.PRESENCE_PONG, this::onPong);
    vertx.eventBus().<JsonObject>localConsumer(Addresses.PRESENCE_AWAY, this::onAwayRequest);
    vertx.eventBus().<JsonObject>localConsumer(Addresses.PRESENCE_AGENTS, this::onAgentsRequest);
    vertx.eventBus().<JsonObject>localConsumer(Addresses.PRESENCE_AGENT, this::onAgentRequest);
    vertx.eventBus().<JsonObject>localConsumer(Addresses.PRESENCE_SNAPSHOT, msg -> PresenceSnapshot.of(store)
        .onSuccess(msg::reply).onFailure(e -> msg.fail(500, e.getMessage())));
    vertx.eventBus().<JsonObject>localConsumer(Addresses.PRESENCE_SWEEP, msg -> sweepInactiveAgents());
    vertx.eventBus().<JsonObject>localConsumer(Addresses.PRESENCE_LEAVING, this::onLeaving);
    vertx.eventBus().<JsonObject>localConsumer(Addresses.PRESENCE_NODE_LEFT, msg -> onNodeLeft(msg.body().getString("node_id")));
    Future<Void> hearing = vertx.eventBus().<JsonObject>consumer(Addresses.PRESENCE_ANNOUNCEMENT, this::onAnnouncement)
        .completion();
    return hearing.compose(v -> SharedDataPresenceStore.open(vertx))
        .onSuccess(opened -> store = opened)
        .compose(PresenceStore::agents)
        .onSuccess(directory::mergeAll);
  }

  /** Runs after the gateway closed every socket: the last offline changes must still reach the other instances. */
  @Override
  public Future<?> stop() {
    return writes;
  }

  private void onRegister(Message<JsonObject> msg) {
    ClientRole role = ClientRole.forConnectionType(msg.body().getString("role")).orElseThrow();
    String name = msg.body().getString("name");
    String resumed = msg.body().getString("resume_id");
    Future<Claim> claim = resumed == null ? reserveFreshId(role, ID_ATTEMPTS).map(this::freshClaim)
        : role == ClientRole.AGENT ? resumeOrReserve(resumed)
        : resumeSessionOrReserve(role, resumed);
    claim.compose(granted -> recordRegistration(role, granted, name).map(granted))
        .onSuccess(granted -> {
          if (role != ClientRole.AGENT) {
            awaySessions.connected(granted.clientId());
          }
        })
        .onSuccess(granted -> msg.reply(new JsonObject().put("client_id", granted.clientId())
            .put("resumed", granted.resumedSession())))
        .onFailure(e -> msg.fail(e instanceof IdInUse ? Addresses.FAILURE_ID_IN_USE : 500, e.getMessage()));
  }

  /**
   * An id this instance now holds, the last revision of the agent record that had it before (0 when new), and
   * whether it is a frontend's or broker's away session taken back (its missed messages are then delivered first).
   */
  private record Claim(String clientId, long previousRevision, boolean resumedSession) {
  }

  /** A fresh id may be one of a forgotten agent: its revisions go on from there, so no directory ignores it. */
  private Claim freshClaim(String clientId) {
    return new Claim(clientId, directory.revisionOf(clientId), false);
  }

  /**
   * Protocol extension "resuming an identity": an agent that reconnects may take back its previous id while that
   * id is offline. An id nobody knows gets a fresh one instead; an id online elsewhere is refused, and so is one
   * whose old socket is still open after missing its PONGs: two sockets must never share an id.
   */
  private Future<Claim> resumeOrReserve(String agentId) {
    return store.agent(agentId).compose(record -> {
      if (record == null) {
        return reserveFreshId(ClientRole.AGENT, ID_ATTEMPTS).map(this::freshClaim);
      }
      if (record.getBoolean(Fields.IS_ONLINE) || record.getBoolean(CONNECTED, false)) {
        return Future.failedFuture(new IdInUse(ClientRole.AGENT, agentId));
      }
      long previousRevision = Math.max(AgentDirectory.revisionOf(record), directory.revisionOf(agentId));
      return store.ownerOf(agentId)
          .compose(owner -> owner == null ? store.reserveId(agentId, nodeId) : store.transferId(agentId, owner, nodeId))
          .compose(won -> won
              ? Future.succeededFuture(new Claim(agentId, previousRevision, false))
              : Future.failedFuture(new IdInUse(ClientRole.AGENT, agentId)));
    });
  }

  /**
   * Protocol extension "session resume": a frontend or broker takes back its id while it is away; an id that cannot be
   * resumed gets a fresh one, as a registration without it would.
   */
  private Future<Claim> resumeSessionOrReserve(ClientRole role, String clientId) {
    return awaySessions.resume(role, clientId).compose(resumed -> resumed
        ? Future.succeededFuture(new Claim(clientId, 0, true))
        : reserveFreshId(role, ID_ATTEMPTS).map(this::freshClaim));
  }

  private Future<String> reserveFreshId(ClientRole role, int attemptsLeft) {
    String candidate = ClientIds.newId(role);
    return store.reserveId(candidate, nodeId).compose(free -> {
      if (free) {
        return Future.succeededFuture(candidate);
      }
      if (attemptsLeft <= 1) {
        return Future.failedFuture("no free " + role.connectionType() + " id after " + ID_ATTEMPTS + " attempts");
      }
      return reserveFreshId(role, attemptsLeft - 1);
    });
  }

  private Future<Void> recordRegistration(ClientRole role, Claim claim, String name) {
    if (role == ClientRole.FRONTEND) {
      return Future.succeededFuture();
    }
    String id = claim.clientId();
    JsonObject record = new JsonObject()
        .put(role.idField(), id)
        .put(role.nameField(), name)
        .put(Fields.IS_ONLINE, true)
        .put(Fields.LAST_SEEN, Frames.isoNow())
        .put(NODE_ID, nodeId);
    if (role == ClientRole.AGENT) {
      record.put(CONNECTED, true).put(AgentDirectory.REVISION, claim.previousRevision() + 1);
    }
    if (role == ClientRole.BROKER) {
      ownBrokers.put(id, record);
      return write(() -> store.putBroker(record.copy()));
    }
    ownAgents.put(id, record);
    lastSignOfLife.put(id, System.nanoTime());
    LOG.info("Agent {} \"{}\" online", id, name);
    JsonObject snapshot = record.copy();
    Future<Void> stored = write(() -> store.putAgent(snapshot));
    stored.onSuccess(v -> announce(List.of(snapshot)));
    return stored;
  }

  private void onDisconnected(Message<JsonObject> msg) {
    String id = msg.body().getString("client_id");
    ClientRole role = ClientRole.forConnectionType(msg.body().getString("role")).orElseThrow();
    Future<Void> done = switch (role) {
      case AGENT -> markAgentOffline(id, "socket closed");
      case BROKER -> markBrokerOffline(id).compose(v -> awaySessions.disconnected(id, role));
      case FRONTEND -> awaySessions.disconnected(id, role);
    };
    done.onComplete(ar -> msg.reply(null));
  }

  private Future<Void> markAgentOffline(String agentId, String why) {
    JsonObject agent = ownAgents.remove(agentId);
    lastSignOfLife.remove(agentId);
    if (agent == null) {
      return Future.succeededFuture();
    }
    statusChanged(agent).put(Fields.IS_ONLINE, false).put(CONNECTED, false);
    LOG.info("Agent {} offline: {}", agentId, why);
    JsonObject snapshot = agent.copy();
    Future<Void> stored = write(() -> store.putAgent(snapshot));
    stored.onSuccess(v -> announce(List.of(snapshot)));
    return stored;
  }

  private Future<Void> markBrokerOffline(String brokerId) {
    JsonObject broker = ownBrokers.remove(brokerId);
    if (broker == null) {
      return Future.succeededFuture();
    }
    broker.put(Fields.IS_ONLINE, false).put(Fields.LAST_SEEN, Frames.isoNow());
    return write(() -> store.putBroker(broker));
  }

  /** Protocol extension "session resume": whether, and until when, messages for a client that is not connected wait. */
  private void onAwayRequest(Message<JsonObject> msg) {
    awaySessions.awayUntil(msg.body().getString("client_id"))
        .onSuccess(until -> msg.reply(until == null
            ? new JsonObject().put("away", false)
            : new JsonObject().put("away", true).put("until", until)))
        .onFailure(e -> msg.fail(500, e.getMessage()));
  }

  /** A PONG refreshes last_seen and brings an agent the inactivity sweep had marked offline back online. */
  private void onPong(Message<JsonObject> msg) {
    String id = msg.body().getString("client_id");
    ClientRole role = ClientRole.forConnectionType(msg.body().getString("role")).orElseThrow();
    if (role == ClientRole.BROKER) {
      JsonObject broker = ownBrokers.get(id);
      if (broker != null) {
        broker.put(Fields.IS_ONLINE, true).put(Fields.LAST_SEEN, Frames.isoNow());
        write(() -> store.putBroker(broker.copy()));
      }
      return;
    }
    JsonObject agent = ownAgents.get(id);
    if (agent == null) {
      return;
    }
    lastSignOfLife.put(id, System.nanoTime());
    boolean cameBack = !agent.getBoolean(Fields.IS_ONLINE);
    if (cameBack) {
      statusChanged(agent).put(Fields.IS_ONLINE, true);
    } else {
      agent.put(Fields.LAST_SEEN, Frames.isoNow());
    }
    JsonObject snapshot = agent.copy();
    Future<Void> stored = write(() -> store.putAgent(snapshot));
    if (cameBack) {
      LOG.info("Agent {} back online after PONG", id);
      stored.onSuccess(v -> announce(List.of(snapshot)));
    } else {
      directory.refresh(snapshot);
    }
  }

  private void sweepInactiveAgents() {
    long now = System.nanoTime();
    long timeout = config.agentInactivityTimeout().toNanos();
    List<JsonObject> silenced = new ArrayList<>();
    for (Map.Entry<String, JsonObject> entry : ownAgents.entrySet()) {
      JsonObject agent = entry.getValue();
      if (agent.getBoolean(Fields.IS_ONLINE) && now - lastSignOfLife.get(entry.getKey()) > timeout) {
        statusChanged(agent).put(Fields.IS_ONLINE, false);
        LOG.info("Agent {} offline: no PONG for {} s", entry.getKey(), config.agentInactivityTimeout().toSeconds());
        JsonObject snapshot = agent.copy();
        write(() -> store.putAgent(snapshot));
        silenced.add(snapshot);
      }
    }
    if (!silenced.isEmpty()) {
      writes.onSuccess(v -> announce(silenced));
    }
    forgetOfflineAgents();
  }

  /**
   * Forgets the agents {@link OfflineRetention} picks: their records leave the shared store and their ids are
   * released, then every instance's directory drops them. Clients are not sent an update for it; the agents are
   * simply missing from the next full list. Every instance sweeps, and the conditional removals let only one of
   * them forget each agent.
   */
  private void forgetOfflineAgents() {
    if (forgetting) {
      return;
    }
    LocalDateTime seenBefore = LocalDateTime.now(ZoneOffset.UTC).minus(config.offlineAgentRetention());
    List<JsonObject> candidates = OfflineRetention.toForget(directory.records(), seenBefore, config.maxOfflineAgents());
    if (candidates.isEmpty()) {
      return;
    }
    forgetting = true;
    List<Future<JsonObject>> attempts = candidates.stream().limit(FORGET_BATCH)
        .map(record -> forgetAgent(record.getString(Fields.AGENT_ID), AgentDirectory.revisionOf(record)))
        .toList();
    Future.join(attempts).onComplete(done -> {
      forgetting = false;
      JsonArray forgotten = new JsonArray();
      attempts.stream().filter(Future::succeeded).map(Future::result).filter(Objects::nonNull).forEach(forgotten::add);
      if (!forgotten.isEmpty()) {
        LOG.info("Forgot {} offline agents (offline for more than {} s, or beyond the {} most recently seen)",
            forgotten.size(), config.offlineAgentRetention().toSeconds(), config.maxOfflineAgents());
        vertx.eventBus().publish(Addresses.PRESENCE_ANNOUNCEMENT,
            new JsonObject().put("agents", new JsonArray()).put("forgotten", forgotten));
      }
      if (done.failed()) {
        LOG.warn("Forgetting offline agents failed for some of them: {}", done.cause().getMessage());
      }
    });
  }

  /**
   * Removes one offline agent's record and releases its id, each only if unchanged since it was read; the id goes
   * first, so an agent resuming it meanwhile either wins the id (and the record removal is harmless or refused) or
   * finds it gone and gets a fresh one. Yields {@code {"agent_id", "revision"}} when this instance forgot it, null
   * when the agent came back or another instance was first.
   */
  private Future<JsonObject> forgetAgent(String agentId, long revision) {
    return store.agent(agentId).compose(record -> {
      if (record == null) {
        directory.forget(agentId, revision);
        return Future.succeededFuture(null);
      }
      if (record.getBoolean(Fields.IS_ONLINE) || record.getBoolean(CONNECTED, false)
          || AgentDirectory.revisionOf(record) != revision) {
        return Future.succeededFuture(null);
      }
      return store.ownerOf(agentId)
          .compose(owner -> owner == null ? Future.succeededFuture(true) : store.releaseIdHeldBy(agentId, owner))
          .compose(released -> released ? store.removeAgent(record) : Future.succeededFuture(false))
          .map(removed -> removed
              ? new JsonObject().put(Fields.AGENT_ID, agentId).put(AgentDirectory.REVISION, revision)
              : null);
    });
  }

  /**
   * This instance is shutting down: its agents go offline in one announcement rather than one per closing socket,
   * which would send every frontend of the cluster a full list per agent.
   */
  private void onLeaving(Message<JsonObject> msg) {
    List<JsonObject> leaving = new ArrayList<>();
    for (JsonObject agent : ownAgents.values()) {
      statusChanged(agent).put(Fields.IS_ONLINE, false).put(CONNECTED, false);
      JsonObject snapshot = agent.copy();
      write(() -> store.putAgent(snapshot));
      leaving.add(snapshot);
    }
    ownAgents.clear();
    lastSignOfLife.clear();
    LOG.info("Instance {} shutting down: {} of its agents marked offline", nodeId, leaving.size());
    writes.onSuccess(v -> {
      if (!leaving.isEmpty()) {
        announce(leaving);
      }
    }).onComplete(ar -> msg.reply(null));
  }

  /**
   * Another instance left the cluster: its agents lost their sockets with it. Records of every instance that is no
   * longer a member are cleaned, not only the departed one's, so a departure whose cleanup was missed (the member
   * due to do it was stopping itself) is made up for at the next one. The members are read after the records: an
   * instance that joined meanwhile cannot have its fresh records taken for orphans.
   */
  private void onNodeLeft(String departedNodeId) {
    store.agents()
        .compose(agents -> markAgentsOfflineIfGone(agents, ClusterSupport.liveNodeIds(vertx)))
        .compose(orphans -> store.brokers()
            .compose(brokers -> markBrokersOfflineIfGone(brokers, ClusterSupport.liveNodeIds(vertx)))
            .compose(v -> store.idOwners())
            .compose(owners -> releaseIdsOfGoneNodes(owners, ClusterSupport.liveNodeIds(vertx)))
            .map(orphans))
        .onSuccess(orphans -> {
          LOG.info("Instance {} left the cluster: {} agents of departed instances marked offline", departedNodeId,
              orphans.size());
          if (!orphans.isEmpty()) {
            announce(orphans);
          }
        })
        .onFailure(e -> LOG.error("Cleanup after instance {} failed: {}", departedNodeId, e.getMessage()));
  }

  private Future<List<JsonObject>> markAgentsOfflineIfGone(List<JsonObject> agents, Set<String> liveNodes) {
    List<JsonObject> orphans = agents.stream()
        .filter(a -> !liveNodes.contains(a.getString(NODE_ID))
            && (a.getBoolean(Fields.IS_ONLINE, false) || a.getBoolean(CONNECTED, false)))
        .toList();
    orphans.forEach(agent -> {
      statusChanged(agent).put(Fields.IS_ONLINE, false).put(CONNECTED, false);
      write(() -> store.putAgent(agent));
    });
    return writes.map(orphans);
  }

  private Future<Void> markBrokersOfflineIfGone(List<JsonObject> brokers, Set<String> liveNodes) {
    brokers.stream()
        .filter(b -> !liveNodes.contains(b.getString(NODE_ID)) && b.getBoolean(Fields.IS_ONLINE, false))
        .forEach(broker -> {
          broker.put(Fields.IS_ONLINE, false).put(Fields.LAST_SEEN, Frames.isoNow());
          write(() -> store.putBroker(broker));
        });
    return writes;
  }

  /**
   * Agent ids stay reserved, so an agent can resume its own. Frontend and broker ids are taken over by this instance
   * and kept away for their resume window (what remains of it, for those that were away already), then released.
   */
  private Future<Void> releaseIdsOfGoneNodes(Map<String, String> owners, Set<String> liveNodes) {
    return Future.join(owners.entrySet().stream()
            .filter(owner -> !liveNodes.contains(owner.getValue()))
            .filter(owner -> !owner.getKey().startsWith(ClientRole.AGENT.idPrefix()))
            .map(owner -> awaySessions.adopt(owner.getKey(), owner.getValue()))
            .toList())
        .mapEmpty();
  }

  /** {@code "refresh": true} first takes in what the shared store holds, in case an announcement was lost. */
  private void onAgentsRequest(Message<JsonObject> msg) {
    Future<Void> refreshed = msg.body().getBoolean("refresh", false) ? refreshFromStore() : Future.succeededFuture();
    refreshed.onComplete(ar -> msg.reply(new JsonObject().put("agents", directory.forClients())));
  }

  /**
   * A record taken here before its own announcement arrives is not announced to this instance's clients as a change;
   * they see it in the full update the refresh is made for.
   */
  private Future<Void> refreshFromStore() {
    return store.agents()
        .onSuccess(records -> publishChanged(directory.mergeAll(records), false))
        .onFailure(e -> LOG.warn("Agent directory not refreshed from the shared store: {}", e.getMessage()))
        .mapEmpty();
  }

  private void onAgentRequest(Message<JsonObject> msg) {
    String agentId = msg.body().getString(Fields.AGENT_ID);
    JsonObject own = ownAgents.get(agentId);
    Future<JsonObject> record = own != null ? Future.succeededFuture(own.copy()) : store.agent(agentId);
    record.onSuccess(agent -> msg.reply(agent == null
            ? new JsonObject().put("known", false)
            : new JsonObject().put("known", true).put("agent", agent)))
        .onFailure(e -> msg.fail(500, e.getMessage()));
  }

  /** A new status of one of this instance's agents: a higher revision, so every directory takes it. */
  private static JsonObject statusChanged(JsonObject agent) {
    return agent.put(AgentDirectory.REVISION, AgentDirectory.revisionOf(agent) + 1).put(Fields.LAST_SEEN, Frames.isoNow());
  }

  /** Tells the presence verticle of every instance, this one included, about changes this instance decided. */
  private void announce(List<JsonObject> changed) {
    vertx.eventBus().publish(Addresses.PRESENCE_ANNOUNCEMENT, new JsonObject().put("agents", new JsonArray(changed)));
  }

  /** Each instance sends its own frontends and brokers one full update per change it had not seen yet. */
  private void onAnnouncement(Message<JsonObject> msg) {
    JsonArray forgotten = msg.body().getJsonArray("forgotten", new JsonArray());
    for (int i = 0; i < forgotten.size(); i++) {
      JsonObject agent = forgotten.getJsonObject(i);
      directory.forget(agent.getString(Fields.AGENT_ID), AgentDirectory.revisionOf(agent));
    }
    List<JsonObject> records = msg.body().getJsonArray("agents").stream().map(JsonObject.class::cast).toList();
    List<JsonObject> changed = directory.mergeAll(records);
    if (changed.isEmpty()) {
      return;
    }
    publishChanged(changed, true);
  }

  /** {@code announced} false: the full list changed, but clients are told of no change (they get a full update). */
  private void publishChanged(List<JsonObject> changed, boolean announced) {
    if (!changed.isEmpty()) {
      JsonArray changedForClients = announced ? AgentDirectory.forClients(changed) : new JsonArray();
      vertx.eventBus().publish(Addresses.PRESENCE_CHANGED,
          new PresenceChanged(directory.forClients(), changedForClients).toJson());
    }
  }

  private Future<Void> write(Supplier<Future<Void>> operation) {
    writes = writes.transform(previous -> operation.get());
    return writes;
  }
}
