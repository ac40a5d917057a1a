package io.agenthub.bridge;

import io.agenthub.config.HubConfig;
import io.agenthub.config.Setting;
import io.vertx.core.json.JsonObject;
import java.time.Duration;

/**
 * What the bridge reads of the configuration. On CONFIG_CHANGED the bridge builds the new one and reacts only when it
 * differs, so a change to another verticle's settings never touches the RabbitMQ connection.
 *
 * @param broker where to connect; a change of it moves the bridge to a new connection
 * @param deliveryTimeout how long a socket write or a monitoring copy may take before the delivery is given up
 */
record BridgeSettings(Broker broker, int prefetch, Duration reconnectMin, Duration reconnectMax,
    Duration publishConfirmTimeout, Duration deliveryTimeout, boolean monitorAllTraffic,
    Duration agentUnansweredTtl) {

  /** The RabbitMQ connection's target and credentials; {@link #toString} leaves the password out of logs. */
  record Broker(String host, int port, String vhost, String user, String password) {

    /** {@code host:port/vhost}, for logs and status. */
    String target() {
      return host + ":" + port + vhost.replaceFirst("^(?!/)", "/");
    }

    String hostAndPort() {
      return host + ":" + port;
    }

    @Override
    public String toString() {
      return user + "@" + target();
    }
  }

  static BridgeSettings of(HubConfig config) {
    return new BridgeSettings(
        new Broker(config.string(Setting.RABBITMQ_HOST), config.integer(Setting.RABBITMQ_PORT),
            config.string(Setting.RABBITMQ_VHOST), config.string(Setting.RABBITMQ_USER),
            config.string(Setting.RABBITMQ_PASSWORD)),
        config.integer(Setting.RABBITMQ_PREFETCH),
        config.duration(Setting.RABBITMQ_RECONNECT_MIN_MS),
        config.duration(Setting.RABBITMQ_RECONNECT_MAX_MS),
        config.duration(Setting.PUBLISH_CONFIRM_TIMEOUT_MS),
        config.duration(Setting.DELIVERY_TIMEOUT_MS),
        config.flag(Setting.MONITOR_ALL_TRAFFIC),
        config.duration(Setting.AGENT_UNANSWERED_TTL));
  }

  /** From the validated configuration as the event bus carries it (deployment config, CONFIG_CHANGED). */
  static BridgeSettings fromJson(JsonObject json) {
    return of(HubConfig.fromJson(json));
  }
}
