package io.agenthub;

import io.agenthub.clock.HubClock;
import io.agenthub.cluster.ClusterSupport;
import io.agenthub.cluster.Membership;
import io.agenthub.metrics.HubMetrics;
import io.agenthub.config.ConfigSources;
import io.agenthub.config.ConfigVerticle;
import io.agenthub.config.HubConfig;
import io.agenthub.config.InvalidConfigException;
import io.agenthub.config.Setting;
import io.agenthub.embedded.BrokerPortTakenException;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.nio.file.Files;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub process: reads and validates configuration, builds Vert.x (clustered if asked), deploys the hub, stops it
 * cleanly on SIGTERM/SIGINT.
 */
public final class HubApplication {
  private static final Logger LOG = LoggerFactory.getLogger(HubApplication.class);
  private static final long SHUTDOWN_TIMEOUT_SECONDS = 30;

  private HubApplication() {
  }

  public static void run() {
    ConfigSources sources = ConfigSources.fromEnvironment();
    HubConfig config = loadOrExit(sources);
    ConfigVerticle.applyLogLevels(config, null);
    PrometheusMeterRegistry registry = HubMetrics.newPrometheusRegistry();
    VertxOptions options = new VertxOptions()
        .setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true).setJvmMetricsEnabled(true));
    VertxBuilder builder = Hub.vertxBuilder().withMetrics(new MicrometerMetricsFactory(registry));
    try {
      Vertx vertx;
      Membership membership;
      if (config.flag(Setting.CLUSTER_ENABLED)) {
        ClusterSupport.Joined joined = await(ClusterSupport.clusteredVertx(builder, options, config));
        vertx = joined.vertx();
        membership = joined.membership();
        LOG.info("Joined cluster as {} ({}:{}, seeds {})", membership.localNodeId(),
            config.string(Setting.CLUSTER_HOST), config.integer(Setting.CLUSTER_PORT),
            config.strings(Setting.CLUSTER_MEMBERS));
      } else {
        vertx = builder.with(options).build();
        membership = Membership.single(UUID.randomUUID().toString());
      }
      Hub hub = await(Hub.deploy(vertx, membership, config, sources, HubClock.SYSTEM));
      LOG.info("Agent Hub started: WebSocket {}://{}:{}/ws (clients are told {}), HTTP /console /api/status /health "
              + "/metrics; RabbitMQ at {} ({}); configuration from {}", config.webSocketScheme(),
          config.string(Setting.HOST), hub.port(), config.publicWebSocketUrl(), config.rabbitTarget(),
          hub.embeddedBroker().isPresent() ? "embedded broker, in memory" : "external",
          Files.isDirectory(sources.confDir())
              ? sources.confDir() : "the built-in defaults (no " + sources.confDir() + ")");
      Runtime.getRuntime().addShutdownHook(new Thread(() -> shutdown(vertx, hub), "agent-hub-shutdown"));
    } catch (ExecutionException e) {
      if (e.getCause() instanceof BrokerPortTakenException taken) {
        System.err.println("Agent Hub cannot start: " + taken.getMessage());
        System.exit(2);
      }
      LOG.error("Agent Hub failed to start: {}", e.getCause() != null ? e.getCause().getMessage() : e.getMessage());
      System.exit(1);
    } catch (TimeoutException e) {
      LOG.error("Agent Hub failed to start: not started within {} s", SHUTDOWN_TIMEOUT_SECONDS);
      System.exit(1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      System.exit(1);
    }
  }

  private static HubConfig loadOrExit(ConfigSources sources) {
    Vertx bootstrap = Vertx.vertx();
    try {
      return await(sources.load(bootstrap));
    } catch (ExecutionException e) {
      List<String> problems = e.getCause() instanceof InvalidConfigException invalid
          ? invalid.describe(sources::sourceOf)
          : sources.unreadableFiles();
      System.err.println("Agent Hub cannot start: invalid configuration");
      (problems.isEmpty() ? List.of(String.valueOf(e.getCause().getMessage())) : problems)
          .forEach(problem -> System.err.println("  - " + problem));
      System.exit(2);
      throw new IllegalStateException("unreachable");
    } catch (InterruptedException | TimeoutException e) {
      throw new IllegalStateException("Reading configuration did not finish", e);
    } finally {
      bootstrap.close();
    }
  }

  /** Runs on the JVM's shutdown-hook thread, never on an event loop, so waiting here is fine. */
  private static void shutdown(Vertx vertx, Hub hub) {
    LOG.info("Shutdown requested: closing sockets (1001), stopping timers, closing RabbitMQ");
    try {
      await(hub.undeploy());
      await(vertx.close());
      LOG.info("Agent Hub stopped");
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn("Shutdown was not clean: {}", e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static <T> T await(Future<T> future) throws ExecutionException, InterruptedException, TimeoutException {
    return future.toCompletionStage().toCompletableFuture().get(SHUTDOWN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }
}
