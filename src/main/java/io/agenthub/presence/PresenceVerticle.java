package io.agenthub.presence;

import io.agenthub.bus.Addresses;
import io.agenthub.bus.AgentList;
import io.agenthub.bus.AgentLookup;
import io.agenthub.bus.AgentQuery;
import io.agenthub.bus.AgentsQuery;
import io.agenthub.bus.AwayQuery;
import io.agenthub.bus.AwayStatus;
import io.agenthub.bus.CardUpdate;
import io.agenthub.bus.ClientDisconnected;
import io.agenthub.bus.DetailedAgents;
import io.agenthub.bus.Failures;
import io.agenthub.bus.LoadAddresses;
import io.agenthub.bus.NodeLeft;
import io.agenthub.bus.PongReceived;
import io.agenthub.bus.PresenceReplication;
import io.agenthub.bus.RegisterReply;
import io.agenthub.bus.RegisterRequest;
import io.agenthub.clock.HubClock;
import io.agenthub.cluster.Membership;
import io.agenthub.config.HubConfig;
import io.agenthub.protocol.AgentCard;
import io.agenthub.protocol.ClientRole;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only writer of presence: which agents and brokers exist, which are online, when each was last seen. Decisions
 * about a client are made by the instance holding its socket ({@link LocalLiveness}, ids by {@link IdReservations},
 * away sessions by {@link AwaySessions}); the records live in a {@link PresenceStore} shared by every instance. Each
 * change is replicated to every instance, which merges it into its {@link AgentDirectory} and publishes it as data
 * on its own {@link Addresses#PRESENCE_CHANGED} ({@link Replication}); presence renders no client frame.
 */
public final class PresenceVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(PresenceVerticle.class);

  private final Membership membership;
  private final HubClock clock;
  private final AgentDirectory directory = new AgentDirectory();
  private final WriteChain writes = new WriteChain();
  private PresenceSettings settings;
  private PresenceStore store;
  private Replication replication;
  private AwaySessions awaySessions;
  private IdReservations ids;
  private LocalLiveness liveness;
  private OfflineForgetting forgetting;
  private OrphanCleanup orphans;
  private LoadBoard loads;
  private LoadReporting loadReporting;

  /** {@code clock} decides liveness, last_seen, resume windows and retention. */
  public PresenceVerticle(Membership membership, HubClock clock) {
    this.membership = membership;
    this.clock = clock;
  }

  /** Replications are heard before the shared store is read, so none made meanwhile is missed. */
  @Override
  public Future<?> start() {
    settings = PresenceSettings.of(HubConfig.fromJson(config()));
    loads = new LoadBoard(vertx.eventBus(), membership.localNodeId(), directory, () -> settings, clock);
    replication = new Replication(vertx.eventBus(), directory, loads);
    return vertx.eventBus().<JsonObject>consumer(Addresses.PRESENCE_REPLICATION,
            msg -> replication.onReplication(PresenceReplication.fromJson(msg.body()))).completion()
        .compose(v -> SharedDataPresenceStore.open(vertx))
        .compose(this::serve);
  }

  private Future<Void> serve(PresenceStore opened) {
    store = opened;
    String nodeId = membership.localNodeId();
    awaySessions = new AwaySessions(vertx, nodeId, store, () -> settings, writes, clock);
    ids = new IdReservations(nodeId, store, directory, awaySessions);
    liveness = new LocalLiveness(nodeId, store, writes, directory, replication, clock);
    forgetting = new OfflineForgetting(store, directory, replication, clock);
    orphans = new OrphanCleanup(store, membership, writes, awaySessions, replication, clock);
    EventBus bus = vertx.eventBus();
    bus.<JsonObject>localConsumer(Addresses.CONFIG_CHANGED, this::onConfigChanged);
    bus.<JsonObject>localConsumer(Addresses.PRESENCE_REGISTER, this::onRegister);
    bus.<JsonObject>localConsumer(Addresses.PRESENCE_DISCONNECTED, this::onDisconnected);
    bus.<JsonObject>localConsumer(Addresses.PRESENCE_PONG, this::onPong);
    bus.<JsonObject>localConsumer(Addresses.PRESENCE_AWAY, this::onAwayQuery);
    bus.<JsonObject>localConsumer(Addresses.PRESENCE_AGENTS, this::onAgentsQuery);
    bus.<JsonObject>localConsumer(Addresses.PRESENCE_AGENT, this::onAgentQuery);
    bus.<JsonObject>localConsumer(Addresses.PRESENCE_SNAPSHOT, this::onSnapshot);
    bus.<JsonObject>localConsumer(Addresses.PRESENCE_SWEEP, msg -> onSweep());
    bus.<JsonObject>localConsumer(Addresses.PRESENCE_LEAVING, this::onLeaving);
    bus.<JsonObject>localConsumer(Addresses.PRESENCE_NODE_LEFT,
        msg -> orphans.nodeLeft(NodeLeft.fromJson(msg.body()).nodeId()));
    bus.<JsonObject>localConsumer(LoadAddresses.PRESENCE_CARD, this::onCardUpdate);
    bus.<JsonObject>localConsumer(LoadAddresses.PRESENCE_DETAILS,
        msg -> msg.reply(new DetailedAgents(loads.detailedEntries()).toJson()));
    loadReporting = new LoadReporting(vertx, nodeId, loads, liveness::ownOnlineAgents, () -> settings);
    return Future.all(store.agents().onSuccess(directory::mergeAll), loadReporting.start()).mapEmpty();
  }

  /** Runs after the gateway closed every socket: the last offline changes must still reach the other instances. */
  @Override
  public Future<?> stop() {
    if (loadReporting != null) {
      loadReporting.stop();
    }
    return writes.settled();
  }

  /** A PONG refreshes the client; an agent's figures (protocol extension "live load") go with its next report. */
  private void onPong(Message<JsonObject> msg) {
    PongReceived pong = PongReceived.fromJson(msg.body());
    liveness.pong(pong);
    loads.onPong(pong);
  }

  /** Protocol extension "agent cards": an agent of this instance sent a new card. */
  private void onCardUpdate(Message<JsonObject> msg) {
    CardUpdate update = CardUpdate.fromJson(msg.body());
    liveness.cardUpdated(update.agentId(), AgentCard.fromJson(update.card()))
        .onComplete(stored -> msg.reply(null), e -> msg.fail(Failures.INTERNAL, e.getMessage()));
  }

  private void onConfigChanged(Message<JsonObject> msg) {
    PresenceSettings next = PresenceSettings.of(HubConfig.fromJson(msg.body()));
    if (!next.equals(settings)) {
      settings = next;
    }
  }

  private void onRegister(Message<JsonObject> msg) {
    RegisterRequest request = RegisterRequest.fromJson(msg.body());
    ids.claim(request)
        .compose(claim -> liveness.registered(request, claim).map(claim))
        .onSuccess(claim -> {
          if (request.role() != ClientRole.AGENT) {
            awaySessions.connected(claim.clientId());
          }
          msg.reply(new RegisterReply(claim.clientId(), claim.resumedSession(), claim.recentKeys()).toJson());
        })
        .onFailure(e -> msg.fail(e instanceof IdInUse ? Failures.ID_IN_USE : Failures.INTERNAL, e.getMessage()));
  }

  private void onDisconnected(Message<JsonObject> msg) {
    ClientDisconnected gone = ClientDisconnected.fromJson(msg.body());
    Future<Void> done = switch (gone.role()) {
      case AGENT -> liveness.agentGone(gone.clientId());
      case BROKER -> liveness.brokerGone(gone.clientId()).compose(v -> awaySessions.disconnected(gone));
      case FRONTEND -> awaySessions.disconnected(gone);
    };
    done.onComplete(ar -> msg.reply(null));
  }

  /** Protocol extension "session resume": whether, and until when, messages for a client not connected wait. */
  private void onAwayQuery(Message<JsonObject> msg) {
    awaySessions.awayUntil(AwayQuery.fromJson(msg.body()).clientId())
        .onSuccess(until -> msg.reply(new AwayStatus(until != null, until == null ? 0 : until).toJson()))
        .onFailure(e -> msg.fail(Failures.INTERNAL, e.getMessage()));
  }

  /**
   * A refresh first takes in what the shared store holds, in case a replication was lost. An asker that holds the
   * current version (the gateway, for each registering client) is told so, rather than sent the list again.
   */
  private void onAgentsQuery(Message<JsonObject> msg) {
    AgentsQuery query = AgentsQuery.fromJson(msg.body());
    Future<Void> refreshed = query.refresh() ? refreshFromStore() : Future.succeededFuture();
    refreshed.onComplete(ar -> msg.reply((query.knownVersion() == directory.version()
        ? AgentList.unchangedAt(directory.version())
        : new AgentList(directory.forClients(), AgentDirectory.streaming(directory.records()), directory.version()))
        .toJson()));
  }

  private Future<Void> refreshFromStore() {
    return store.agents()
        .onSuccess(replication::merged)
        .onFailure(e -> LOG.warn("Agent directory not refreshed from the shared store: {}", e.getMessage()))
        .mapEmpty();
  }

  private void onAgentQuery(Message<JsonObject> msg) {
    String agentId = AgentQuery.fromJson(msg.body()).agentId();
    AgentPresence own = liveness.ownAgent(agentId);
    Future<AgentPresence> record = own != null ? Future.succeededFuture(own) : store.agent(agentId);
    record.onSuccess(agent -> msg.reply(new AgentLookup(agent != null,
            agent == null ? null : agent.statusEntry().toJson()).toJson()))
        .onFailure(e -> msg.fail(Failures.INTERNAL, e.getMessage()));
  }

  private void onSnapshot(Message<JsonObject> msg) {
    PresenceSnapshot.of(store).onSuccess(msg::reply).onFailure(e -> msg.fail(Failures.INTERNAL, e.getMessage()));
  }

  /** This instance is shutting down: the reply comes once its agents are recorded offline. */
  private void onLeaving(Message<JsonObject> msg) {
    liveness.leaving().onComplete(ar -> msg.reply(null));
  }

  private void onSweep() {
    liveness.sweep(settings.agentInactivityTimeout());
    forgetting.sweep(settings);
  }
}
