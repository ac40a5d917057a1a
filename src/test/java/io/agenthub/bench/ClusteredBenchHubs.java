package io.agenthub.bench;

import io.agenthub.protocol.Queues;
import io.agenthub.support.Await;
import io.agenthub.support.ClusterNodes;
import io.agenthub.support.RabbitVhost;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Clustered hubs for the bench: each a {@link BenchHub} child JVM on the defaults plus the four CLUSTER_* settings,
 * on one fresh vhost, in {@code instance-1/}, {@code instance-2/}... of the run folder. The first starts alone and
 * forms the cluster, the others then join it one at a time (as the chaos suite's clusters start); ready once every
 * instance consumes {@code broker_output_queue}.
 */
final class ClusteredBenchHubs implements AutoCloseable {
  private final RabbitVhost vhost;
  private final List<BenchHub> instances = new ArrayList<>();

  private ClusteredBenchHubs(RabbitVhost vhost) {
    this.vhost = vhost;
  }

  static ClusteredBenchHubs start(Path runDir, int count, JsonObject overrides, List<String> jvm) throws Exception {
    ClusteredBenchHubs cluster = new ClusteredBenchHubs(RabbitVhost.create("bench-cluster"));
    try {
      List<Integer> members = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        members.add(ClusterNodes.freePort());
      }
      for (int i = 0; i < count; i++) {
        JsonObject settings = overrides.copy().mergeIn(ClusterNodes.clusterSettings(members.get(i), members));
        cluster.instances.add(BenchHub.start(Files.createDirectories(runDir.resolve("instance-" + (i + 1))),
            cluster.vhost.name(), settings, jvm));
      }
      Await.until("every instance consumes " + Queues.BROKER_OUTPUT, Duration.ofSeconds(60),
          () -> cluster.vhost.consumerCount(Queues.BROKER_OUTPUT) == count);
      return cluster;
    } catch (Exception | AssertionError e) {
      cluster.close();
      throw e;
    }
  }

  List<BenchHub> instances() {
    return instances;
  }

  String vhost() {
    return vhost.name();
  }

  @Override
  public void close() throws Exception {
    try (RabbitVhost closing = vhost) {
      for (BenchHub instance : instances) {
        instance.close();
      }
    }
  }
}
