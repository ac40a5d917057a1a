package io.agenthub.embedded;

import io.agenthub.config.HubConfig;
import io.agenthub.config.Setting;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides once, at start-up, which broker the hub uses ({@code RABBITMQ_MODE}), and starts the embedded one when
 * that is the answer: always for {@code embedded}, never for {@code external}, and for {@code auto} only when nothing
 * answers at RABBITMQ_HOST:RABBITMQ_PORT, that host is a loopback address and the hub is not clustered (instances
 * of a cluster must share one broker, which an embedded one in a single instance is not).
 */
public final class BrokerSelection {
  private static final Logger LOG = LoggerFactory.getLogger(BrokerSelection.class);
  private static final int PROBE_TIMEOUT_MS = 1_000;

  private BrokerSelection() {
  }

  /** The embedded broker the hub is to use, started; empty when it uses an external RabbitMQ. */
  public static Future<Optional<EmbeddedBroker>> select(Vertx vertx, HubConfig config) {
    return switch (config.mode(Setting.RABBITMQ_MODE)) {
      case EXTERNAL -> Future.succeededFuture(Optional.empty());
      case EMBEDDED -> embed(vertx, config).map(Optional::of);
      case AUTO -> selectAutomatically(vertx, config);
    };
  }

  private static Future<Optional<EmbeddedBroker>> selectAutomatically(Vertx vertx, HubConfig config) {
    String host = config.string(Setting.RABBITMQ_HOST);
    int port = config.integer(Setting.RABBITMQ_PORT);
    String target = host + ":" + port;
    return answers(vertx, host, port).compose(answered -> {
      if (answered) {
        return Future.succeededFuture(Optional.empty());
      }
      if (config.flag(Setting.CLUSTER_ENABLED)) {
        LOG.info("No RabbitMQ answers at {}; not embedding a broker because clustering is on; waiting for RabbitMQ",
            target);
        return Future.succeededFuture(Optional.empty());
      }
      return isLoopback(vertx, host).compose(loopback -> {
        if (!loopback) {
          LOG.info("No RabbitMQ answers at {}; not embedding a broker because {} is not a loopback address; "
              + "waiting for RabbitMQ", target, host);
          return Future.succeededFuture(Optional.empty());
        }
        return embed(vertx, config)
            .onSuccess(broker -> LOG.warn("No RabbitMQ answers at {}, so the hub serves an embedded AMQP broker on {} "
                + "(RABBITMQ_MODE=auto). It keeps messages in memory only: queued messages are lost when the hub "
                + "stops. Use a real RabbitMQ for durability, several instances or clients on other hosts.",
                target, broker.address()))
            .map(Optional::of)
            .recover(e -> {
              if (!(e instanceof BrokerPortTakenException)) {
                return Future.failedFuture(e);
              }
              LOG.info("Port {} was taken while the hub started; using the broker that listens there", port);
              return Future.succeededFuture(Optional.empty());
            });
      });
    });
  }

  private static Future<EmbeddedBroker> embed(Vertx vertx, HubConfig config) {
    return EmbeddedBroker.start(vertx, config.integer(Setting.RABBITMQ_PORT), config.string(Setting.RABBITMQ_VHOST),
        config.string(Setting.RABBITMQ_USER), config.string(Setting.RABBITMQ_PASSWORD));
  }

  /** Whether something accepts a TCP connection there within a second. */
  private static Future<Boolean> answers(Vertx vertx, String host, int port) {
    NetClient client = vertx.createNetClient(new NetClientOptions().setConnectTimeout(PROBE_TIMEOUT_MS));
    return client.connect(port, host)
        .compose(socket -> socket.close().map(true))
        .otherwise(false)
        .eventually(client::close);
  }

  /** Whether every address the name resolves to is a loopback one (name resolution may block: on a worker). */
  private static Future<Boolean> isLoopback(Vertx vertx, String host) {
    return vertx.executeBlocking(() -> {
      try {
        return Arrays.stream(InetAddress.getAllByName(host)).allMatch(InetAddress::isLoopbackAddress);
      } catch (UnknownHostException e) {
        return false;
      }
    }, false);
  }
}
