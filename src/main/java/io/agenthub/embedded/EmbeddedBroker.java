package io.agenthub.embedded;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.apache.qpid.server.SystemLauncher;
import org.apache.qpid.server.SystemLauncherListener;
import org.apache.qpid.server.model.BrokerImpl;
import org.apache.qpid.server.model.SystemConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An AMQP 0-9-1 broker inside the hub's process (Apache Qpid Broker-J with a memory store), so the hub and any AMQP
 * client on the same machine have a broker when no RabbitMQ is installed. It listens on the loopback address only,
 * knows one user, and serves one virtual host, under the hub's RABBITMQ_VHOST and as the default one ({@code /}),
 * which the old clients ask for. Nothing is written to disk: queued messages are lost when it stops.
 */
public final class EmbeddedBroker {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBroker.class);
  private static final String LOOPBACK = "127.0.0.1";

  private final SystemLauncher launcher;
  private final Path workDir;
  private final int port;

  private EmbeddedBroker(SystemLauncher launcher, Path workDir, int port) {
    this.launcher = launcher;
    this.workDir = workDir;
    this.port = port;
  }

  /**
   * Starts a broker on {@code 127.0.0.1:port} serving {@code vhost} (blocking work, done on a worker thread). Fails
   * with {@link BrokerPortTakenException} when something already listens there.
   */
  public static Future<EmbeddedBroker> start(Vertx vertx, int port, String vhost, String user, String password) {
    return vertx.executeBlocking(() -> startBlocking(port, vhost, user, password), false);
  }

  private static EmbeddedBroker startBlocking(int port, String vhost, String user, String password) throws Exception {
    requireFree(port);
    Path workDir = Files.createTempDirectory("agent-hub-broker");
    SystemLauncher launcher = null;
    try {
      Path initialConfig = Files.writeString(workDir.resolve("initial-config.json"),
          initialConfig(port, vhost, user, password).encodePrettily());
      AtomicReference<SystemConfig<?>> system = new AtomicReference<>();
      launcher = new SystemLauncher(new SystemLauncherListener.DefaultSystemLauncherListener() {
        @Override
        public void onContainerResolve(SystemConfig<?> resolved) {
          system.set(resolved);
        }
      });
      launcher.startup(Map.of(
          "type", "Memory",
          "initialConfigurationLocation", initialConfig.toUri().toString(),
          "startupLoggedToSystemOut", false,
          "context", Map.of(
              "qpid.work_dir", workDir.toString(),
              "QPID_WORK", workDir.toString(),
              // A port that cannot bind must fail the start, not leave a broker that serves nothing.
              "broker.failStartupWithErroredChild", "true")));
      leaveShutdownToTheHub(system.get());
      LOG.info("Embedded AMQP broker listening on {}:{} (in memory)", LOOPBACK, port);
      return new EmbeddedBroker(launcher, workDir, port);
    } catch (Exception e) {
      if (launcher != null) {
        launcher.shutdown();
      }
      deleteRecursively(workDir);
      if (!isFree(port)) {
        throw new BrokerPortTakenException(port);
      }
      throw e;
    }
  }

  /** {@code host:port} where the broker listens. */
  public String address() {
    return LOOPBACK + ":" + port;
  }

  /** Closes every client connection and the port, and deletes the broker's work folder. */
  public Future<Void> stop(Vertx vertx) {
    return vertx.executeBlocking(() -> {
      try {
        launcher.shutdown();
      } finally {
        deleteRecursively(workDir);
      }
      LOG.info("Embedded AMQP broker on {}:{} stopped", LOOPBACK, port);
      return null;
    }, false);
  }

  /**
   * The broker's whole configuration: a PLAIN user (also offered without TLS, as RabbitMQ does), one AMQP port on
   * the loopback address whose aliases serve the only virtual host under its own name and as the default one
   * ({@code /} or empty), and that virtual host in memory.
   */
  static JsonObject initialConfig(int port, String vhost, String user, String password) {
    String vhostName = vhost.replaceFirst("^/", "");
    return new JsonObject()
        .put("name", "agent-hub-embedded")
        .put("modelVersion", "9.1")
        .put("authenticationproviders", new JsonArray().add(new JsonObject()
            .put("name", "plain")
            .put("type", "Plain")
            .put("secureOnlyMechanisms", new JsonArray())
            .put("users", new JsonArray().add(new JsonObject()
                .put("name", user).put("type", "managed").put("password", password)))))
        .put("ports", new JsonArray().add(new JsonObject()
            .put("name", "AMQP")
            .put("port", port)
            .put("bindingAddress", LOOPBACK)
            .put("authenticationProvider", "plain")
            .put("virtualhostaliases", new JsonArray()
                .add(new JsonObject().put("name", "nameAlias").put("type", "nameAlias"))
                .add(new JsonObject().put("name", "defaultAlias").put("type", "defaultAlias"))
                .add(new JsonObject().put("name", "hostnameAlias").put("type", "hostnameAlias")))))
        .put("virtualhostnodes", new JsonArray().add(new JsonObject()
            .put("name", vhostName.isEmpty() ? "default" : vhostName)
            .put("type", "Memory")
            .put("defaultVirtualHostNode", "true")
            .put("virtualHostInitialConfiguration", new JsonObject().put("type", "Memory").encode())));
  }

  /**
   * Broker-J stops itself from a JVM shutdown hook of its own, which on SIGTERM races the hub's: the bridge would lose
   * its connection while the gateway is still closing sockets. The hub stops its broker last, so that hook goes.
   */
  private static void leaveShutdownToTheHub(SystemConfig<?> system) {
    try {
      Field hook = BrokerImpl.class.getDeclaredField("_shutdownHook");
      hook.setAccessible(true);
      Runtime.getRuntime().removeShutdownHook((Thread) hook.get(system.getContainer()));
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.debug("The embedded broker keeps its own shutdown hook: {}", e.toString());
    }
  }

  private static void requireFree(int port) {
    if (!isFree(port)) {
      throw new BrokerPortTakenException(port);
    }
  }

  /** Whether this process could listen on the loopback port now. */
  static boolean isFree(int port) {
    try (ServerSocket probe = new ServerSocket()) {
      probe.bind(new InetSocketAddress(InetAddress.getByName(LOOPBACK), port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> {
        try {
          Files.delete(path);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException | UncheckedIOException e) {
      LOG.warn("Could not delete the embedded broker's work folder {}: {}", dir, e.getMessage());
    }
  }
}
