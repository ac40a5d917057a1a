package io.agenthub.chaos;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.agenthub.support.Await;
import io.agenthub.support.ClusterNodes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A RabbitMQ node of the chaos run's own, so that it can be stopped and started without touching the shared broker
 * on 5672: node {@code chaos-<n>@localhost} on free loopback ports, with its database, logs, configuration,
 * plugin list and Erlang cookie (its own {@code HOME}) in a folder under {@code target/}. Only this node is ever
 * stopped, through {@code rabbitmqctl -n <node>}.
 */
final class PrivateRabbit implements AutoCloseable {
  private static final Path DEBIAN_SCRIPTS = Path.of("/usr/lib/rabbitmq/bin");
  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
  private static final int BOOT_ATTEMPTS = 3;

  /** How the outage is made: the whole node (Erlang VM included) or only the RabbitMQ application in it. */
  enum Restart { FULL, APP }

  private final Path dir;
  private final String node;
  private final int port;
  private final Map<String, String> environment;
  private boolean running;

  private PrivateRabbit(Path dir, String node, int port, Map<String, String> environment) {
    this.dir = dir;
    this.node = node;
    this.port = port;
    this.environment = environment;
  }

  /**
   * Boots a fresh node. Its ports are free when chosen but may be taken by someone else before the node binds them
   * (the machine is shared); a node that crashed at boot is given up and another started on other ports.
   */
  static PrivateRabbit start(Path runDir) throws Exception {
    for (int attempt = 1; ; attempt++) {
      PrivateRabbit rabbit = prepare(runDir.resolve(attempt == 1 ? "rabbitmq" : "rabbitmq-" + attempt));
      try {
        rabbit.bootNode();
        return rabbit;
      } catch (CrashedAtBoot crashed) {
        if (attempt == BOOT_ATTEMPTS) {
          throw crashed;
        }
        System.err.println("chaos: " + crashed.getMessage() + "; starting another node");
      }
    }
  }

  /** The node died while booting (its Erlang VM wrote a crash dump), e.g. because its port had been taken. */
  private static final class CrashedAtBoot extends IllegalStateException {
    CrashedAtBoot(String message) {
      super(message);
    }
  }

  private static PrivateRabbit prepare(Path folder) throws Exception {
    Path dir = Files.createDirectories(folder.toAbsolutePath());
    String node = "chaos-" + UUID.randomUUID().toString().substring(0, 8) + "@localhost";
    int port = ClusterNodes.freePort();
    Path cookie = dir.resolve(".erlang.cookie");
    Files.writeString(cookie, UUID.randomUUID().toString().replace("-", "").toUpperCase());
    Files.setPosixFilePermissions(cookie, PosixFilePermissions.fromString("r--------"));
    Files.writeString(dir.resolve("rabbitmq.conf"), "listeners.tcp.local = 127.0.0.1:" + port + "\n"
        + "loopback_users.guest = true\n");
    Files.writeString(dir.resolve("enabled_plugins"), "[].\n");
    Files.writeString(dir.resolve("rabbitmq-env.conf"), "");
    Map<String, String> environment = Map.ofEntries(
        Map.entry("HOME", dir.toString()),
        Map.entry("RABBITMQ_NODENAME", node),
        Map.entry("RABBITMQ_NODE_IP_ADDRESS", "127.0.0.1"),
        Map.entry("RABBITMQ_NODE_PORT", Integer.toString(port)),
        Map.entry("RABBITMQ_DIST_PORT", Integer.toString(ClusterNodes.freePort())),
        Map.entry("RABBITMQ_MNESIA_BASE", dir.resolve("mnesia").toString()),
        Map.entry("RABBITMQ_LOG_BASE", dir.resolve("log").toString()),
        Map.entry("RABBITMQ_PID_FILE", dir.resolve("pid").toString()),
        Map.entry("RABBITMQ_CONFIG_FILE", dir.resolve("rabbitmq.conf").toString()),
        Map.entry("RABBITMQ_ENABLED_PLUGINS_FILE", dir.resolve("enabled_plugins").toString()),
        Map.entry("RABBITMQ_CONF_ENV_FILE", dir.resolve("rabbitmq-env.conf").toString()),
        Map.entry("ERL_EPMD_ADDRESS", "127.0.0.1"),
        Map.entry("ERL_FLAGS", "-kernel inet_dist_use_interface {127,0,0,1}"));
    return new PrivateRabbit(dir, node, port, environment);
  }

  int port() {
    return port;
  }

  String node() {
    return node;
  }

  void stop(Restart how) throws Exception {
    ctl(how == Restart.FULL ? "stop" : "stop_app");
    running = how != Restart.FULL;
  }

  void startAgain(Restart how) throws Exception {
    if (how == Restart.FULL) {
      bootNode();
    } else {
      ctl("start_app");
    }
  }

  /** True once an AMQP connection to the node can be opened: RabbitMQ answers again. */
  boolean answers() {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost("127.0.0.1");
    factory.setPort(port);
    factory.setConnectionTimeout(1000);
    try (Connection probe = factory.newConnection("agent-hub chaos probe")) {
      return probe.isOpen();
    } catch (IOException | TimeoutException notYet) {
      return false;
    }
  }

  /** A fresh vhost on this node that guest may use, so that runs sharing the node never meet each other's queues. */
  String addVhost(String prefix) throws Exception {
    String vhost = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    ctl("add_vhost", vhost);
    ctl("set_permissions", "-p", vhost, "guest", ".*", ".*", ".*");
    return vhost;
  }

  /** Messages ready in a queue of one of the node's vhosts (0 if it does not exist). */
  long messageCount(String vhost, String queue) throws Exception {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost("127.0.0.1");
    factory.setPort(port);
    factory.setVirtualHost(vhost);
    try (Connection connection = factory.newConnection("agent-hub chaos count")) {
      Channel channel = connection.createChannel();
      return channel.queueDeclarePassive(queue).getMessageCount();
    } catch (IOException noSuchQueue) {
      return 0;
    }
  }

  private void bootNode() throws Exception {
    run(List.of(script("rabbitmq-server"), "-detached"), Duration.ofSeconds(30));
    running = true;
    // await_startup fails at once while the detached node has not registered with epmd yet.
    boolean started = Await.atMost(System.nanoTime() + START_TIMEOUT.toNanos(), Duration.ofMillis(200), () -> {
      if (run(List.of(script("rabbitmqctl"), "-q", "-n", node, "await_startup"), START_TIMEOUT) == 0) {
        return true;
      }
      if (Files.exists(dir.resolve("log").resolve("erl_crash.dump"))) {
        running = false;
        throw new CrashedAtBoot("RabbitMQ node " + node + " crashed while booting; see " + dir.resolve("log"));
      }
      return false;
    });
    if (!started) {
      throw new IllegalStateException("RabbitMQ node " + node + " did not start within " + START_TIMEOUT
          + "; see " + dir.resolve("log"));
    }
  }

  private void ctl(String... command) throws Exception {
    List<String> line = new ArrayList<>(List.of(script("rabbitmqctl"), "-q", "-n", node));
    line.addAll(List.of(command));
    if (run(line, Duration.ofSeconds(60)) != 0) {
      throw new IllegalStateException("rabbitmqctl -n " + node + " " + String.join(" ", command) + " failed; see "
          + dir.resolve("ctl.log"));
    }
  }

  private int run(List<String> command, Duration timeout) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command)).directory(dir.toFile())
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("ctl.log").toFile()));
    builder.environment().putAll(environment);
    Process process = builder.start();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException(String.join(" ", command) + " did not finish within " + timeout);
    }
    return process.exitValue();
  }

  /** Debian's scripts directly: the /usr/sbin wrappers would switch to the rabbitmq user and its cookie. */
  private static String script(String name) {
    Path direct = DEBIAN_SCRIPTS.resolve(name);
    return Files.isExecutable(direct) ? direct.toString() : name;
  }

  @Override
  public void close() throws Exception {
    if (running) {
      running = false;
      ctl("stop");
    }
  }

  @Override
  public String toString() {
    return node + " on 127.0.0.1:" + port + " (" + dir + ")";
  }
}
