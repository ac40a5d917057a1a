package io.agenthub.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import io.agenthub.bus.Addresses;
import io.agenthub.config.HubConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Clustered mode: Vert.x on the Hazelcast cluster manager, joined over TCP/IP to CLUSTER_MEMBERS (no multicast).
 * Presence maps become Hazelcast maps, the event bus spans the instances, and when a member leaves, the oldest
 * survivor tells its presence verticle to mark offline the agents of every instance that is no longer a member.
 */
public final class ClusterSupport {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterSupport.class);
  /**
   * Vert.x 5 gives each node an id of its own, not the Hazelcast member UUID, and publishes it as this member
   * attribute (HazelcastClusterManager's NODE_ID_ATTRIBUTE). Presence records carry the Vert.x node id, so a departed
   * member is identified by this attribute.
   */
  private static final String VERTX_NODE_ID_ATTRIBUTE = "__vertx.nodeId";
  /**
   * The membership of each clustered Vert.x built here: Vert.x has no public accessor for its cluster manager, so the
   * manager is kept from when it was built. Weak, so a closed Vert.x is not held on to (tests build many).
   */
  private static final Map<Vertx, Membership> MEMBERSHIPS = Collections.synchronizedMap(new WeakHashMap<>());

  private ClusterSupport() {
  }

  private static HazelcastClusterManager clusterManager(HubConfig config) {
    Config hazelcast = ConfigUtil.loadConfig();
    hazelcast.setClusterName("agent-hub");
    hazelcast.setProperty("hazelcast.logging.type", "slf4j");
    hazelcast.setProperty("hazelcast.shutdownhook.enabled", "false");
    hazelcast.setProperty("hazelcast.phone.home.enabled", "false");
    hazelcast.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    hazelcast.setProperty("hazelcast.max.no.heartbeat.seconds", "5");
    // The master gathers join requests for this long before admitting members (Hazelcast's default is 5 s, which
    // makes every restart of an instance wait 5 to 10 s before it can serve); instances join one at a time anyway.
    hazelcast.setProperty("hazelcast.wait.seconds.before.join", "1");
    NetworkConfig network = hazelcast.getNetworkConfig();
    network.setPort(config.clusterPort()).setPortAutoIncrement(false);
    network.setPublicAddress(config.clusterHost() + ":" + config.clusterPort());
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(config.clusterMembers().isEmpty()
        ? List.of(config.clusterHost() + ":" + config.clusterPort())
        : config.clusterMembers());
    hazelcast.getMapConfig("agenthub.*").setBackupCount(1);
    return new HazelcastClusterManager(hazelcast);
  }

  /** The event bus binds to CLUSTER_HOST on a free port and advertises that host to the other instances. */
  private static EventBusOptions eventBusOptions(HubConfig config) {
    return new EventBusOptions().setHost(config.clusterHost()).setClusterPublicHost(config.clusterHost());
  }

  /** A Vert.x instance that has joined the cluster, watching its membership. */
  public static Future<Vertx> clusteredVertx(VertxBuilder builder, VertxOptions options, HubConfig config) {
    HazelcastClusterManager manager = clusterManager(config);
    return builder.with(options.setEventBusOptions(eventBusOptions(config)))
        .withClusterManager(manager)
        .buildClustered()
        .onSuccess(vertx -> {
          MEMBERSHIPS.put(vertx, new HazelcastMembership(manager));
          watchMembership(vertx, manager);
        });
  }

  /** The cluster's members for a Vert.x built by {@link #clusteredVertx}; a membership of one for any other. */
  public static Membership membership(Vertx vertx, String nodeId) {
    Membership clustered = MEMBERSHIPS.get(vertx);
    return clustered != null ? clustered : Membership.single(nodeId);
  }

  public static String nodeId(Vertx vertx) {
    return ((io.vertx.core.internal.VertxInternal) vertx).clusterManager().getNodeId();
  }

  /** The node ids of the cluster's members as this member sees them now (a local view; nothing is asked). */
  public static Set<String> liveNodeIds(Vertx vertx) {
    return new HashSet<>(((io.vertx.core.internal.VertxInternal) vertx).clusterManager().getNodes());
  }

  /** Only the oldest member cleans up after a departed one, so each departure is announced once. */
  private static void watchMembership(Vertx vertx, HazelcastClusterManager manager) {
    manager.getHazelcastInstance().getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {
        LOG.info("Cluster member joined: {} (node {})", event.getMember().getUuid(),
            event.getMember().getAttribute(VERTX_NODE_ID_ATTRIBUTE));
      }

      @Override
      public void memberRemoved(MembershipEvent event) {
        String departed = event.getMember().getAttribute(VERTX_NODE_ID_ATTRIBUTE);
        boolean oldest = event.getCluster().getMembers().iterator().next().localMember();
        LOG.info("Cluster member left: {} (node {}){}", event.getMember().getUuid(), departed,
            oldest ? "; this instance cleans up after it" : "");
        if (oldest && departed != null) {
          vertx.eventBus().send(Addresses.PRESENCE_NODE_LEFT, new JsonObject().put("node_id", departed));
        }
      }
    });
  }
}
