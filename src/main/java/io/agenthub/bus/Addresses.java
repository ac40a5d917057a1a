package io.agenthub.bus;

/**
 * Every event-bus address of the hub and the JSON it carries. Payloads are {@code JsonObject}s (or, for frames on
 * their way to a socket, the frame's encoded text), so a verticle in any language can join; each has a record in this
 * package with {@code toJson}/{@code fromJson}. An address says where it reaches: {@code agenthub.local.*} is
 * registered with {@code localConsumer}, so each instance of a cluster serves it for itself; {@code agenthub.cluster.*}
 * reaches whichever instance holds the consumer. Failure codes of requests are named in {@link Failures}.
 */
public final class Addresses {

  /**
   * Cluster-wide, one consumer per registered client, held by the gateway that owns the socket.
   * Request: the frame, already encoded as a JSON string, is written to the socket; the reply (empty) comes once the
   * write completed. Fails with NO_HANDLERS when no instance holds the client, RECIPIENT_FAILURE with
   * {@link Failures#SOCKET_GONE} when the socket closed before the frame was written.
   */
  public static String client(String clientId) {
    return "agenthub.cluster.client." + clientId;
  }

  /**
   * Node-local request. {@code {"role": "agent", "name": "Echo", "node_id": "…", "resume_id": "agent_…"?}} → reply
   * {@code {"client_id": "agent_1a2b3c4d", "resumed": true?}}: presence reserves an id unique across the deployment
   * (or gives an agent back its offline {@code resume_id}, a frontend or broker its away one, then {@code resumed} is
   * true) and, for an agent, records it online and replicates the change. Fails with {@link Failures#ID_IN_USE} when
   * {@code resume_id} is online or connected.
   */
  public static final String PRESENCE_REGISTER = "agenthub.local.presence.register";

  /** Node-local send. {@code {"client_id": "…", "role": "agent"}}: the client's socket closed. */
  public static final String PRESENCE_DISCONNECTED = "agenthub.local.presence.disconnected";

  /**
   * Node-local request. {@code {"client_id": "web_…"}} → {@code {"away": true, "until": epoch ms}} or
   * {@code {"away": false}}: protocol extension "session resume". Away means the frontend or broker is not connected
   * but may still resume its id until {@code until}; messages for it wait in its resume queue meanwhile.
   */
  public static final String PRESENCE_AWAY = "agenthub.local.presence.away";

  /** Node-local send. {@code {"client_id": "…", "role": "agent"|"broker"}}: a PONG arrived from that client. */
  public static final String PRESENCE_PONG = "agenthub.local.presence.pong";

  /**
   * Node-local request. {@code {"refresh": true?}} → {@code {"agents": [{"agent_id", "agent_name", "is_online",
   * "last_seen"}]}}: every agent of the deployment as this instance's presence knows them, after taking in the shared
   * store first when {@code refresh} is set (the periodic full update does, in case a replication was lost).
   */
  public static final String PRESENCE_AGENTS = "agenthub.local.presence.agents";

  /**
   * Node-local publish ({@link PresenceChanged}), once per change this instance's presence learned (from a
   * replication, or from the shared store at a refresh): {@code {"agents": [...], "changed": [...], "streaming":
   * ["agent_…"]}}, both lists
   * {@code [{"agent_id", "agent_name", "is_online", "last_seen"}]}, every agent as clients see them and those whose
   * status just changed. The gateway renders the AGENT_STATUS_UPDATE for its frontends and brokers from it; the
   * bridge keeps its view of the online agents from {@code changed}, so routing to an online agent needs no request.
   */
  public static final String PRESENCE_CHANGED = "agenthub.local.presence.changed";

  /**
   * Node-local request. {@code {"agent_id": "…"}} → {@code {"known": true, "agent": {...}}} or
   * {@code {"known": false}}.
   */
  public static final String PRESENCE_AGENT = "agenthub.local.presence.agent";

  /**
   * Node-local request, for {@code GET /api/status}. {@code {}} → {@code {"agents": [{"agent_id", "agent_name",
   * "is_online", "last_seen", "node_id"}], "brokers": [{"broker_id", "broker_name", "is_online", "last_seen",
   * "node_id"}]}}: every agent and broker of the deployment as the shared store holds them, {@code node_id} naming
   * the instance that holds (or last held) the socket.
   */
  public static final String PRESENCE_SNAPSHOT = "agenthub.local.presence.snapshot";

  /**
   * Cluster-wide request, one consumer per instance, held by its gateway. {@code {}} → that instance's part of
   * {@code GET /api/status}: {@code {"node_id", "ready", "rabbitmq": {...}, "config": {...}, "connections":
   * {"sockets", "frontend", "agent", "broker"}, "frontends": [{"frontend_id", "frontend_name"}]?, "brokers":
   * [{"broker_id", "broker_name"}]?, "counters": {...}}}; the lists only while they are short.
   */
  public static String instanceStatus(String nodeId) {
    return "agenthub.cluster.gateway.status." + nodeId;
  }

  /**
   * Node-local request. {@code {}} → empty reply: this instance is shutting down; presence records all its agents
   * offline and replicates them in one change, before the gateway closes their sockets one by one.
   */
  public static final String PRESENCE_LEAVING = "agenthub.local.presence.leaving";

  /**
   * Node-local send. {@code {}}: mark offline the agents of this instance whose last PONG is too old, and forget the
   * offline agents beyond OFFLINE_AGENT_RETENTION / MAX_OFFLINE_AGENTS.
   */
  public static final String PRESENCE_SWEEP = "agenthub.local.presence.sweep";

  /**
   * Node-local send. {@code {"node_id": "…"}}: that instance left the cluster (it died or shut down); the oldest
   * surviving instance ({@code cluster.Membership#onMemberLeft}) marks offline the agents and brokers of every
   * instance that is no longer a member and replicates it, and takes their frontends' and brokers' ids over as away
   * (session resume).
   */
  public static final String PRESENCE_NODE_LEFT = "agenthub.local.presence.node-left";

  /**
   * Node-local request. {@code {"client_id": "web_…"}} → {@code {"delivered": n}}: protocol extension "session
   * resume". The bridge writes what waits in the client's resume queue to its client address, oldest first, each
   * with header {@link #PARKED_HEADER} and acknowledged after the write, until the queue is empty. Fails when a write
   * fails (what is left stays in the queue) or RabbitMQ is lost.
   */
  public static final String BRIDGE_DRAIN = "agenthub.local.bridge.drain";

  /**
   * Delivery header on a {@link #client} request that carries a message from the resume queue: the gateway writes
   * it even while it holds back live deliveries until the backlog is written.
   */
  public static final String PARKED_HEADER = "parked";

  /**
   * Delivery header on a {@link #client} request that carries a message consumed from {@code broker_output_queue}
   * (or a frame the bridge wrote for one, such as the sender's AGENT_OFFLINE error): a key derived from the digest of
   * the consumed bytes, the same on every instance. The gateway writes a frame whose key it already wrote to that
   * socket only once: a redelivery routed again, here or on another instance, is answered as delivered without a
   * second write. Frames without it (everything else) are written as they come.
   */
  public static final String DELIVERY_KEY_HEADER = "delivery_key";

  /**
   * Node-local request. {@code {}} → {@code {"connected": true, "target": "host:port/vhost", "broker": "embedded" |
   * "external", "unconfirmed_publishes": 0}}; {@code broker} says whether the target is the hub's embedded broker.
   */
  public static final String BRIDGE_STATUS = "agenthub.local.bridge.status";

  /**
   * Node-local request. {@code {}} → {@code {"source": "/…/conf", "applied_at": ISO, "rejected": {"at": ISO,
   * "problems": ["…"]}?}}: the configuration state, with the last rejected change if it is still unresolved.
   */
  public static final String CONFIG_STATUS = "agenthub.local.config.status";

  /**
   * Node-local send. {@code {"agent_id": "agent_…", "websocket": true|false}}: protocol extension "WebSocket
   * delivery". While true, this instance's bridge consumes {@code agent_queue_<agent_id>} and pushes each message to
   * the agent's client address, acknowledging it only after the write; false (the agent's socket closed) stops that.
   */
  public static final String BRIDGE_AGENT_DELIVERY = "agenthub.local.bridge.agent-delivery";

  /**
   * Node-local publish. The whole validated configuration as JSON (see {@code HubConfig#toJson}), each time it
   * changes: every verticle applies its own part.
   */
  public static final String CONFIG_CHANGED = "agenthub.local.config.changed";

  /**
   * Cluster-wide publish, between presence verticles ({@link PresenceReplication}): the agent records whose status
   * the sending instance just changed, with their revisions. Every presence verticle merges them by revision (a late
   * one never undoes a newer one) and publishes {@link #PRESENCE_CHANGED} for its own instance; {@code forgotten}
   * names offline agents the sender removed from the shared store (retention), which every directory drops.
   */
  public static final String PRESENCE_REPLICATION = "agenthub.cluster.presence.replication";

  /**
   * Node-local request ({@link ForwardRequest}) → empty reply once RabbitMQ confirmed the persistent publish to
   * {@code broker_input_queue}; the bridge then publishes the monitoring copy. Fails with
   * {@link Failures#NOT_PUBLISHED} when RabbitMQ certainly does not have the message, {@link Failures#OUTCOME_UNKNOWN}
   * when it was sent but its confirm never came.
   */
  public static final String BRIDGE_FORWARD = "agenthub.local.bridge.forward";

  /** Node-local publish ({@link HeartbeatTick}): one of this instance's timers fired; the gateway renders the frame. */
  public static final String HEARTBEAT_TICK = "agenthub.local.heartbeat.tick";

  /**
   * Cluster-wide publish ({@link FanOut}): every gateway writes the encoded frame to each of its registered sockets
   * of the roles named, except the client named.
   */
  public static final String GATEWAY_FAN_OUT = "agenthub.cluster.gateway.fan-out";

  /**
   * Cluster-wide request, one consumer per instance, held by its gateway ({@link MonitorCopy}) → empty reply once the
   * copy is written to (or queued on) every frontend socket of that instance. The bridge acknowledges a consumed
   * message only after every member answered, so a copy is never lost with the instance that routed it.
   */
  public static String gatewayMonitors(String nodeId) {
    return "agenthub.cluster.gateway.monitors." + nodeId;
  }

  private Addresses() {
  }
}
