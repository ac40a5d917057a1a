package io.agenthub.presence;

import io.agenthub.bus.Addresses;
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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only writer of presence: which agents and brokers exist, which are online, when each was last seen.
 * Decisions about an agent are made by the instance holding its socket; the records live in a {@link PresenceStore}
 * shared by every instance. Each change is announced once, as a full AGENT_STATUS_UPDATE to every frontend and
 * broker of the deployment.
 */
public final class PresenceVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(PresenceVerticle.class);
  private static final int ID_ATTEMPTS = 8;
  /** Record keys for presence itself, never sent to clients: the instance holding the socket, and whether it is open. */
  private static final String NODE_ID = "node_id";
  private static final String CONNECTED = "connected";

  private final String nodeId;
  private HubConfig config;
  private PresenceStore store;
  /** Agents whose socket this instance holds, with the monotonic time of their last sign of life. */
  private final Map<String, JsonObject> ownAgents = new HashMap<>();
  private final Map<String, Long> lastSignOfLife = new HashMap<>();
  private final Map<String, JsonObject> ownBrokers = new HashMap<>();
  /** Writes are chained so that two changes of one agent reach the shared store in the order they happened. */
  private Future<Void> writes = Future.succeededFuture();
  /** The latest status announcement; a stopping instance waits for it, so the cluster hears its agents left. */
  private Future<Void> lastAnnouncement = Future.succeededFuture();

  public PresenceVerticle(String nodeId) {
    this.nodeId = nodeId;
  }

  @Override
  public Future<?> start() {
    config = HubConfig.fromJson(config());
    vertx.eventBus().<JsonObject>localConsumer(Addresses.CONFIG_CHANGED, msg -> config = HubConfig.fromJson(msg.body()));
    vertx.eventBus().<JsonObject>localConsumer(Addresses.PRESENCE_REGISTER, this::onRegister);
    vertx.eventBus().<JsonObject>localConsumer(Addresses.PRESENCE_DISCONNECTED, this::onDisconnected);
    vertx.eventBus().<JsonObject>localConsumer(Addresses.PRESENCE_PONG, this::onPong);
    vertx.eventBus().<JsonObject>localConsumer(Addresses.PRESENCE_AGENTS, this::onAgentsRequest);
    vertx.eventBus().<JsonObject>localConsumer(Addresses.PRESENCE_AGENT, this::onAgentRequest);
    vertx.eventBus().<JsonObject>localConsumer(Addresses.PRESENCE_SWEEP, msg -> sweepInactiveAgents());
    vertx.eventBus().<JsonObject>localConsumer(Addresses.PRESENCE_NODE_LEFT, msg -> onNodeLeft(msg.body().getString("node_id")));
    return SharedDataPresenceStore.open(vertx).onSuccess(s -> store = s);
  }

  /** Runs after the gateway closed every socket: the last offline changes must still reach the other instances. */
  @Override
  public Future<?> stop() {
    return writes.transform(ar -> lastAnnouncement);
  }

  private void onRegister(Message<JsonObject> msg) {
    ClientRole role = ClientRole.forConnectionType(msg.body().getString("role")).orElseThrow();
    String name = msg.body().getString("name");
    String resumed = msg.body().getString("resume_id");
    Future<String> id = role == ClientRole.AGENT && resumed != null ? resumeOrReserve(resumed) : reserveFreshId(role, ID_ATTEMPTS);
    id.compose(granted -> recordRegistration(role, granted, name).map(granted))
        .onSuccess(granted -> msg.reply(new JsonObject().put("client_id", granted)))
        .onFailure(e -> msg.fail(e instanceof IdInUse ? Addresses.FAILURE_ID_IN_USE : 500, e.getMessage()));
  }

  /**
   * Protocol extension "resuming an identity": an agent that reconnects may take back its previous id while that
   * id is offline. An id nobody knows gets a fresh one instead; an id online elsewhere is refused, and so is one
   * whose old socket is still open after missing its PONGs: two sockets must never share an id.
   */
  private Future<String> resumeOrReserve(String agentId) {
    return store.agent(agentId).compose(record -> {
      if (record == null) {
        return reserveFreshId(ClientRole.AGENT, ID_ATTEMPTS);
      }
      if (record.getBoolean(Fields.IS_ONLINE) || record.getBoolean(CONNECTED, false)) {
        return Future.failedFuture(new IdInUse(agentId));
      }
      return store.ownerOf(agentId)
          .compose(owner -> owner == null ? store.reserveId(agentId, nodeId) : store.transferId(agentId, owner, nodeId))
          .compose(won -> won ? Future.succeededFuture(agentId) : Future.failedFuture(new IdInUse(agentId)));
    });
  }

  /** The requested agent id is online, or another instance resumed it first. */
  private static final class IdInUse extends RuntimeException {
    IdInUse(String agentId) {
      super("Agent id " + agentId + " is in use", null, false, false);
    }
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

  private Future<Void> recordRegistration(ClientRole role, String id, String name) {
    if (role == ClientRole.FRONTEND) {
      return Future.succeededFuture();
    }
    JsonObject record = new JsonObject()
        .put(role.idField(), id)
        .put(role.nameField(), name)
        .put(Fields.IS_ONLINE, true)
        .put(Fields.LAST_SEEN, Frames.isoNow())
        .put(NODE_ID, nodeId);
    if (role == ClientRole.AGENT) {
      record.put(CONNECTED, true);
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
      case BROKER -> markBrokerOffline(id);
      case FRONTEND -> store.releaseId(id);
    };
    done.onComplete(ar -> msg.reply(null));
  }

  private Future<Void> markAgentOffline(String agentId, String why) {
    JsonObject agent = ownAgents.remove(agentId);
    lastSignOfLife.remove(agentId);
    if (agent == null) {
      return Future.succeededFuture();
    }
    agent.put(Fields.IS_ONLINE, false).put(CONNECTED, false).put(Fields.LAST_SEEN, Frames.isoNow());
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
    return write(() -> store.putBroker(broker)).compose(v -> store.releaseId(brokerId));
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
    agent.put(Fields.IS_ONLINE, true).put(Fields.LAST_SEEN, Frames.isoNow());
    JsonObject snapshot = agent.copy();
    Future<Void> stored = write(() -> store.putAgent(snapshot));
    if (cameBack) {
      LOG.info("Agent {} back online after PONG", id);
      stored.onSuccess(v -> announce(List.of(snapshot)));
    }
  }

  private void sweepInactiveAgents() {
    long now = System.nanoTime();
    long timeout = config.agentInactivityTimeout().toNanos();
    List<JsonObject> silenced = new ArrayList<>();
    for (Map.Entry<String, JsonObject> entry : ownAgents.entrySet()) {
      JsonObject agent = entry.getValue();
      if (agent.getBoolean(Fields.IS_ONLINE) && now - lastSignOfLife.get(entry.getKey()) > timeout) {
        agent.put(Fields.IS_ONLINE, false).put(Fields.LAST_SEEN, Frames.isoNow());
        LOG.info("Agent {} offline: no PONG for {} s", entry.getKey(), config.agentInactivityTimeout().toSeconds());
        JsonObject snapshot = agent.copy();
        write(() -> store.putAgent(snapshot));
        silenced.add(snapshot);
      }
    }
    if (!silenced.isEmpty()) {
      writes.onSuccess(v -> announce(silenced));
    }
  }

  /** Another instance left the cluster: its agents lost their sockets with it. */
  private void onNodeLeft(String deadNodeId) {
    markAgentsOfflineAfter(deadNodeId)
        .compose(orphans -> markBrokersOfflineAfter(deadNodeId).compose(v -> releaseIdsHeldBy(deadNodeId)).map(orphans))
        .onSuccess(orphans -> {
          if (!orphans.isEmpty()) {
            announce(orphans);
          }
        })
        .onFailure(e -> LOG.error("Cleanup after instance {} failed: {}", deadNodeId, e.getMessage()));
  }

  private Future<List<JsonObject>> markAgentsOfflineAfter(String deadNodeId) {
    return store.agents().compose(agents -> {
      List<JsonObject> orphans = agents.stream()
          .filter(a -> deadNodeId.equals(a.getString(NODE_ID))
              && (a.getBoolean(Fields.IS_ONLINE, false) || a.getBoolean(CONNECTED, false)))
          .toList();
      orphans.forEach(agent -> {
        agent.put(Fields.IS_ONLINE, false).put(CONNECTED, false).put(Fields.LAST_SEEN, Frames.isoNow());
        write(() -> store.putAgent(agent));
      });
      LOG.info("Instance {} left the cluster: {} of its agents marked offline", deadNodeId, orphans.size());
      return writes.map(orphans);
    });
  }

  private Future<Void> markBrokersOfflineAfter(String deadNodeId) {
    return store.brokers().compose(brokers -> {
      brokers.stream()
          .filter(b -> deadNodeId.equals(b.getString(NODE_ID)) && b.getBoolean(Fields.IS_ONLINE, false))
          .forEach(broker -> {
            broker.put(Fields.IS_ONLINE, false).put(Fields.LAST_SEEN, Frames.isoNow());
            write(() -> store.putBroker(broker));
          });
      return writes;
    });
  }

  /** Frontend and broker ids go back to the pool; agent ids stay reserved, so an agent can resume its own. */
  private Future<Void> releaseIdsHeldBy(String deadNodeId) {
    return store.idsOwnedBy(deadNodeId).compose(ids -> Future.join(ids.stream()
            .filter(id -> !id.startsWith(ClientRole.AGENT.idPrefix()))
            .map(store::releaseId).toList()))
        .mapEmpty();
  }


  private void onAgentsRequest(Message<JsonObject> msg) {
    writes.transform(ar -> agentsForClients())
        .onSuccess(agents -> msg.reply(new JsonObject().put("agents", agents)))
        .onFailure(e -> msg.fail(500, e.getMessage()));
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

  private Future<JsonArray> agentsForClients() {
    return store.agents().map(agents -> agentsForClients(agents.stream()
        .sorted(Comparator.comparing((JsonObject a) -> a.getString(Fields.AGENT_ID)))
        .toList()));
  }

  /** The agents as clients see them, without presence's own keys. */
  private static JsonArray agentsForClients(List<JsonObject> records) {
    return new JsonArray(records.stream()
        .map(a -> (Object) new JsonObject()
            .put(Fields.AGENT_ID, a.getString(Fields.AGENT_ID))
            .put(Fields.AGENT_NAME, a.getString(Fields.AGENT_NAME))
            .put(Fields.IS_ONLINE, a.getBoolean(Fields.IS_ONLINE))
            .put(Fields.LAST_SEEN, a.getString(Fields.LAST_SEEN)))
        .toList());
  }

  /**
   * One full status update to every frontend and broker of the deployment, published once by this instance, naming
   * the agents that changed for the clients that asked for delta presence.
   */
  private void announce(List<JsonObject> changed) {
    JsonArray changedForClients = agentsForClients(changed);
    vertx.eventBus().publish(Addresses.PRESENCE_CHANGED, new JsonObject().put("agents", changedForClients));
    lastAnnouncement = agentsForClients()
        .onSuccess(agents -> vertx.eventBus().publish(Addresses.GATEWAY_BROADCAST, new JsonObject()
            .put("roles", new JsonArray().add(ClientRole.FRONTEND.connectionType()).add(ClientRole.BROKER.connectionType()))
            .put("frame", Frames.agentStatusUpdate(agents))
            .put("changed", changedForClients)))
        .onFailure(e -> LOG.error("Could not announce agent status: {}", e.getMessage()))
        .<Void>mapEmpty()
        .otherwiseEmpty();
  }

  private Future<Void> write(Supplier<Future<Void>> operation) {
    writes = writes.transform(previous -> operation.get());
    return writes;
  }
}
