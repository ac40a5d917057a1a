package io.agenthub.companion;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Where a companion finds the hub and RabbitMQ, read from the same environment variables the old Python clients use,
 * plus {@code HUB_TOKEN} for a hub that requires credentials (null: send none).
 */
public record CompanionSettings(String websocketUrl, String rabbitHost, int rabbitPort, String rabbitUser,
    String rabbitPassword, String rabbitVhost, String hubToken) {

  public static final String DEFAULT_WEBSOCKET_URL = "ws://localhost:8765/ws";

  /** Settings for a hub that needs no token. */
  public CompanionSettings(String websocketUrl, String rabbitHost, int rabbitPort, String rabbitUser,
      String rabbitPassword, String rabbitVhost) {
    this(websocketUrl, rabbitHost, rabbitPort, rabbitUser, rabbitPassword, rabbitVhost, null);
  }

  public static CompanionSettings fromEnvironment() {
    return fromVariables(System.getenv());
  }

  /** @throws IllegalArgumentException naming the variable, its value and what is allowed */
  public static CompanionSettings fromVariables(Map<String, String> variables) {
    String url = variables.getOrDefault("WEBSOCKET_URL", DEFAULT_WEBSOCKET_URL);
    if (websocketUrls(url).isEmpty()
        || websocketUrls(url).stream().anyMatch(one -> !one.startsWith("ws://") && !one.startsWith("wss://"))) {
      throw new IllegalArgumentException("WEBSOCKET_URL=" + url + " is not allowed: expected a ws:// or wss:// URL, "
          + "or several separated by commas (instances of one cluster, tried in turn)");
    }
    return new CompanionSettings(url,
        variables.getOrDefault("RABBITMQ_HOST", "localhost"),
        port(variables.getOrDefault("RABBITMQ_PORT", "5672")),
        variables.getOrDefault("RABBITMQ_USER", "guest"),
        variables.getOrDefault("RABBITMQ_PASSWORD", "guest"),
        variables.getOrDefault("RABBITMQ_VHOST", "/"),
        variables.get("HUB_TOKEN"));
  }

  private static int port(String value) {
    try {
      int port = Integer.parseInt(value.trim());
      if (port >= 1 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException notANumber) {
      // reported below with the allowed range
    }
    throw new IllegalArgumentException("RABBITMQ_PORT=" + value + " is not allowed: expected an integer 1..65535");
  }

  /** The hub URLs to try, in order: WEBSOCKET_URL may list several instances of a cluster, separated by commas. */
  public List<String> websocketUrls() {
    return websocketUrls(websocketUrl);
  }

  private static List<String> websocketUrls(String urls) {
    return Arrays.stream(urls.split(",")).map(String::trim).filter(url -> !url.isEmpty()).toList();
  }

  public CompanionSettings withWebsocketUrl(String url) {
    return new CompanionSettings(url, rabbitHost, rabbitPort, rabbitUser, rabbitPassword, rabbitVhost, hubToken);
  }

  /** For log lines: never the password or token. */
  public String rabbitTarget() {
    return rabbitHost + ":" + rabbitPort + rabbitVhost.replaceFirst("^(?!/)", "/");
  }
}
