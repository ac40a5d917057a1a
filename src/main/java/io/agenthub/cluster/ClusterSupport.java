package io.agenthub.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.EvictionConfig;
import com.hazelcast.config.EvictionPolicy;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MaxSizePolicy;
import com.hazelcast.config.NetworkConfig;
import io.agenthub.config.HubConfig;
import io.agenthub.config.Setting;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.List;

/**
 * Clustered mode: Vert.x on the Hazelcast cluster manager, joined over TCP/IP to CLUSTER_MEMBERS (no multicast).
 * Presence maps become Hazelcast maps, the event bus spans the instances, and {@link HazelcastMembership} says who is
 * a member and which member left.
 */
public final class ClusterSupport {
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
    String host = config.string(Setting.CLUSTER_HOST);
    int port = config.integer(Setting.CLUSTER_PORT);
    List<String> members = config.strings(Setting.CLUSTER_MEMBERS);
    NetworkConfig network = hazelcast.getNetworkConfig();
    network.setPort(port).setPortAutoIncrement(false);
    network.setPublicAddress(host + ":" + port);
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(members.isEmpty() ? List.of(host + ":" + port) : members);
    hazelcast.getMapConfig("agenthub.*").setBackupCount(1);
    // Streamed replies: bounded per member, the least recently used entries evicted first (an ended stream's, as a
    // rule: an open one is written to all the time). A character takes about two bytes.
    int streamMegabytes = (int) Math.max(16, 2L * config.integer(Setting.STREAM_STORE_MAX_CHARS) / (1 << 20));
    hazelcast.getMapConfig("agenthub.streams.*").setBackupCount(1).setEvictionConfig(new EvictionConfig()
        .setEvictionPolicy(EvictionPolicy.LRU).setMaxSizePolicy(MaxSizePolicy.USED_HEAP_SIZE).setSize(streamMegabytes));
    return new HazelcastClusterManager(hazelcast);
  }

  /** The event bus binds to CLUSTER_HOST on a free port and advertises that host to the other instances. */
  private static EventBusOptions eventBusOptions(HubConfig config) {
    String host = config.string(Setting.CLUSTER_HOST);
    return new EventBusOptions().setHost(host).setClusterPublicHost(host);
  }

  /** A Vert.x instance that has joined the cluster, and its membership. */
  public record Joined(Vertx vertx, Membership membership) {
  }

  public static Future<Joined> clusteredVertx(VertxBuilder builder, VertxOptions options, HubConfig config) {
    HazelcastClusterManager manager = clusterManager(config);
    return builder.with(options.setEventBusOptions(eventBusOptions(config)))
        .withClusterManager(manager)
        .buildClustered()
        .map(vertx -> new Joined(vertx, new HazelcastMembership(manager)));
  }
}
