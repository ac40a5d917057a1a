package io.agenthub.support;

import io.agenthub.Hub;
import io.agenthub.clock.HubClock;
import io.agenthub.cluster.Membership;
import io.agenthub.config.ConfigSources;
import io.agenthub.config.HubConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real hub in this JVM, configured like production: the project's conf/hub.json copied into a temporary conf
 * folder, plus a {@code test.json} of overrides (port 0, the test's own RabbitMQ vhost, short intervals...).
 */
public final class TestHub implements AutoCloseable {
  private final Vertx vertx;
  private final Hub hub;
  private final Path confDir;
  private final HubConfig config;

  private TestHub(Vertx vertx, Hub hub, Path confDir, HubConfig config) {
    this.vertx = vertx;
    this.hub = hub;
    this.confDir = confDir;
    this.config = config;
  }

  public static TestHub start(RabbitVhost vhost, JsonObject overrides) throws Exception {
    return start(Hub.vertxBuilder().build(), "test-node", vhost, overrides);
  }

  public static TestHub start(Vertx vertx, String nodeId, RabbitVhost vhost, JsonObject overrides) throws Exception {
    return start(vertx, Membership.single(nodeId), vhost, overrides);
  }

  public static TestHub start(Vertx vertx, Membership membership, RabbitVhost vhost, JsonObject overrides)
      throws Exception {
    return start(vertx, membership, vhost.hubSettings().mergeIn(overrides));
  }

  /** A hub whose settings name the RabbitMQ target themselves (RABBITMQ_*), e.g. to test RABBITMQ_MODE. */
  public static TestHub start(JsonObject overrides) throws Exception {
    Vertx vertx = Hub.vertxBuilder().build();
    try {
      return start(vertx, Membership.single("test-node"), overrides);
    } catch (Exception e) {
      vertx.close();
      throw e;
    }
  }

  private static TestHub start(Vertx vertx, Membership membership, JsonObject overrides) throws Exception {
    Path confDir = Files.createTempDirectory("agent-hub-conf");
    Files.copy(Path.of("conf/hub.json"), confDir.resolve("hub.json"));
    JsonObject testSettings = new JsonObject().put("PORT", 0).put("HOST", "127.0.0.1")
        .put("RABBITMQ_RECONNECT_MIN_MS", 100).put("RABBITMQ_RECONNECT_MAX_MS", 1000)
        .put("CONFIG_SCAN_PERIOD_MS", 200).put("LOG_LEVEL", "WARN")
        .mergeIn(overrides);
    Files.writeString(confDir.resolve("test.json"), testSettings.encodePrettily());
    ConfigSources sources = new ConfigSources(confDir, confDir.resolve(".env"));
    HubConfig config = await(sources.load(vertx));
    Hub hub = await(Hub.deploy(vertx, membership, config, sources, HubClock.SYSTEM));
    return new TestHub(vertx, hub, confDir, config);
  }

  public int port() {
    return hub.port();
  }

  public String nodeId() {
    return hub.nodeId();
  }

  public Vertx vertx() {
    return vertx;
  }

  public HubConfig config() {
    return config;
  }

  /** The temporary conf folder, for tests that edit configuration while the hub runs. */
  public Path confDir() {
    return confDir;
  }

  /** Graceful stop of the hub only (the Vert.x instance stays), as on SIGTERM. */
  public void stopHub() throws Exception {
    await(hub.undeploy());
  }

  @Override
  public void close() throws Exception {
    await(hub.undeploy());
    await(vertx.close());
  }

  public static <T> T await(io.vertx.core.Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
