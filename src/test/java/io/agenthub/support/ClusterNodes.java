package io.agenthub.support;

import io.agenthub.cluster.ClusterSupport;
import io.agenthub.config.CommentedJsonProcessor;
import io.agenthub.config.HubConfig;
import io.agenthub.Hub;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

/**
 * Clustered hubs for tests: free loopback ports, the cluster settings of one member, and a hub on its own clustered
 * Vert.x in this JVM (each with its own Hazelcast member, as a separate instance would have).
 */
public final class ClusterNodes {
  private static final int FIRST_TEST_PORT = 20_000;
  private static final int LAST_TEST_PORT = 32_000;
  private ClusterNodes() {
  }

  /**
   * A port nothing listens on right now, below the OS's ephemeral range (32768 and up on Linux): a port the OS handed
   * out as ephemeral could be taken as the local port of any outgoing connection before the test binds it (a
   * Hazelcast member seeded with it connects out while that member is still starting), which fails the bind.
   */
  public static int freePort() throws IOException {
    for (int attempt = 0; attempt < 100; attempt++) {
      int candidate = ThreadLocalRandom.current().nextInt(FIRST_TEST_PORT, LAST_TEST_PORT);
      try (ServerSocket socket = new ServerSocket(candidate, 1, InetAddress.getLoopbackAddress())) {
        return socket.getLocalPort();
      } catch (IOException inUse) {
        // taken: try another
      }
    }
    throw new IOException("no free port between " + FIRST_TEST_PORT + " and " + LAST_TEST_PORT);
  }

  /** CLUSTER_* settings of the member on {@code clusterPort}, seeded with every member of the test cluster. */
  public static JsonObject clusterSettings(int clusterPort, List<Integer> memberPorts) {
    return new JsonObject()
        .put("CLUSTER_ENABLED", true)
        .put("CLUSTER_HOST", "127.0.0.1")
        .put("CLUSTER_PORT", clusterPort)
        .put("CLUSTER_MEMBERS", memberPorts.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(",")));
  }

  /** A hub on a Vert.x instance of its own that joined the cluster, its node id being its Hazelcast member id. */
  public static TestHub startInJvm(RabbitVhost vhost, int clusterPort, List<Integer> memberPorts, JsonObject overrides)
      throws Exception {
    JsonObject settings = overrides.copy().mergeIn(clusterSettings(clusterPort, memberPorts));
    HubConfig config = HubConfig.parse(
        CommentedJsonProcessor.parse(Files.readString(Path.of("conf/hub.json"))).mergeIn(settings));
    ClusterSupport.Joined joined =
        TestHub.await(ClusterSupport.clusteredVertx(Hub.vertxBuilder(), new VertxOptions(), config));
    try {
      return TestHub.start(joined.vertx(), joined.membership(), vhost, settings);
    } catch (Exception e) {
      joined.vertx().close();
      throw e;
    }
  }

  /** Two clustered hubs in this JVM, seeded with each other, started one after the other. */
  public static List<TestHub> startPair(RabbitVhost vhost, JsonObject overrides) throws Exception {
    int portA = freePort();
    int portB = freePort();
    List<Integer> members = List.of(portA, portB);
    TestHub a = startInJvm(vhost, portA, members, overrides);
    try {
      return List.of(a, startInJvm(vhost, portB, members, overrides));
    } catch (Exception e) {
      a.close();
      throw e;
    }
  }

  /** Closes the hubs in the order given (those that started), then the vhost. */
  public static void stop(RabbitVhost vhost, TestHub... hubs) throws Exception {
    for (TestHub hub : hubs) {
      if (hub != null) {
        hub.close();
      }
    }
    vhost.close();
  }
}
