package io.agenthub.gateway;

import io.agenthub.cluster.Membership;
import io.agenthub.metrics.HubMetrics;
import io.agenthub.bus.Addresses;
import io.agenthub.protocol.ClientRole;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.CheckResult;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * {@code GET /api/status}: the deployment as one read-only JSON document. Agents and brokers come from presence's
 * shared records; each instance answers for its own sockets, health and counters at its own address, so the
 * document covers every member of a cluster whichever instance is asked.
 */
final class HubStatus {
  /** Frontends and brokers of an instance are listed by name up to this many; above it only counted. */
  static final int LIST_LIMIT = 50;
  private static final DeliveryOptions QUICK = new DeliveryOptions().setSendTimeout(2_000);

  private final Vertx vertx;
  private final Membership membership;
  private final String nodeId;
  private final Supplier<Collection<ClientSession>> registered;
  private final MeterRegistry metrics;
  private final LocalHealth health;

  HubStatus(Vertx vertx, Membership membership, Supplier<Map<String, Integer>> connectionCounts,
      Supplier<Collection<ClientSession>> registered, MeterRegistry metrics) {
    this.vertx = vertx;
    this.membership = membership;
    this.nodeId = membership.localNodeId();
    this.registered = registered;
    this.metrics = metrics;
    this.health = new LocalHealth(vertx, connectionCounts);
  }

  /** Starts answering for this instance; completes once the address is known to the cluster. */
  Future<Void> serve() {
    return vertx.eventBus().<JsonObject>consumer(Addresses.instanceStatus(nodeId),
        msg -> instance().onSuccess(msg::reply).onFailure(e -> msg.fail(500, e.getMessage()))).completion();
  }

  /** The whole deployment; an instance that does not answer is listed with its error rather than left out. */
  Future<JsonObject> cluster() {
    Future<JsonObject> presence = vertx.eventBus()
        .<JsonObject>request(Addresses.PRESENCE_SNAPSHOT, new JsonObject(), QUICK).map(reply -> reply.body());
    List<Future<JsonObject>> instances = members().stream()
        .map(member -> vertx.eventBus().<JsonObject>request(Addresses.instanceStatus(member), new JsonObject(), QUICK)
            .map(reply -> reply.body())
            .otherwise(e -> new JsonObject().put("node_id", member).put("ready", false).put("error", e.getMessage())))
        .toList();
    return Future.all(instances).compose(done -> presence).map(snapshot -> new JsonObject()
        .put("node_id", nodeId)
        .put("clustered", vertx.isClustered())
        .put("agents", snapshot.getJsonArray("agents"))
        .put("brokers", snapshot.getJsonArray("brokers"))
        .put("instances", new JsonArray(instances.stream().map(Future::result).toList())));
  }

  private Set<String> members() {
    return new TreeSet<>(membership.nodeIds());
  }

  private Future<JsonObject> instance() {
    return health.readiness().map(checks -> {
      JsonObject status = new JsonObject()
          .put("node_id", nodeId)
          .put("ready", CheckResult.isUp(checks))
          .put("rabbitmq", LocalHealth.data(checks, LocalHealth.RABBITMQ))
          .put("config", LocalHealth.data(checks, LocalHealth.CONFIG))
          .put("connections", LocalHealth.data(checks, LocalHealth.CONNECTIONS))
          .put("counters", HubMetrics.totals(metrics));
      putListIfShort(status, "frontends", ClientRole.FRONTEND);
      putListIfShort(status, "brokers", ClientRole.BROKER);
      return status;
    });
  }

  private void putListIfShort(JsonObject status, String key, ClientRole role) {
    List<ClientSession> clients = registered.get().stream().filter(s -> s.role() == role).toList();
    if (clients.size() > LIST_LIMIT) {
      return;
    }
    JsonArray list = new JsonArray();
    clients.stream()
        .map(ClientSession::client)
        .sorted(Comparator.comparing(RegisteredClient::name).thenComparing(RegisteredClient::clientId))
        .forEach(c -> list.add(new JsonObject().put(role.idField(), c.clientId()).put(role.nameField(), c.name())));
    status.put(key, list);
  }
}
