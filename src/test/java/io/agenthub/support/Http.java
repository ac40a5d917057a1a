package io.agenthub.support;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Plain HTTP GETs against a hub, each given up after {@link #TIMEOUT} (an {@code HttpTimeoutException}, which is an
 * {@code IOException}). A connection accepted in the instant the hub's port opens can meet a Vert.x 5.0.8 race (its
 * server metrics are set after the bind, so the request fails inside Vert.x and is never answered); a poll for
 * readiness then tries again instead of waiting for the hub's stall timeout to cut it.
 */
public final class Http {
  private static final HttpClient CLIENT = HttpClient.newHttpClient();
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private Http() {
  }

  public static HttpResponse<String> get(int port, String path) throws Exception {
    return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(TIMEOUT).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  public static JsonObject getJson(int port, String path) throws Exception {
    return new JsonObject(get(port, path).body());
  }
}
