package io.agenthub.companion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agenthub.metrics.HubMetrics;
import io.agenthub.protocol.ClientRole;
import io.agenthub.support.Await;
import io.agenthub.support.GatewayFixture;
import io.agenthub.support.WsClient;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The reference companions' socket waits as long as the hub says and then tries again, on a gateway alone: a
 * registration refused with RATE_LIMITED is sent again after {@code retry_after_ms} on the same socket, an upgrade
 * refused with 503 and {@code Retry-After} is made again after it. Without that, the companion would give up.
 */
class HubSocketRetryTest {
  @RegisterExtension
  static final GatewayFixture GATEWAY = GatewayFixture.perTest(new JsonObject()
      .put("REGISTRATION_RATE_LIMIT", 1).put("REGISTRATION_RATE_BURST", 1)
      .put("MAX_REGISTRATIONS_IN_FLIGHT", 1).put("REGISTRATION_MAX_WAIT", 1));

  @Test
  void aRateLimitedRegistrationIsSentAgainWhenTheHubSaysSo() throws Exception {
    try (WsClient first = WsClient.register(GATEWAY.port(), "agent", "First")) {
      double refusedBefore = count("agenthub.errors.sent", "code", "RATE_LIMITED");
      HubSocket agent = hubSocket(ClientRole.AGENT, "Second");
      Future<String> registered = agent.connect();
      Await.until("the hub refused the second agent", WsClient.TIMEOUT,
          () -> count("agenthub.errors.sent", "code", "RATE_LIMITED") > refusedBefore);
      GATEWAY.clock().advance(Duration.ofSeconds(1));
      assertTrue(await(registered).startsWith("agent_"));
      await(agent.close());
    }
  }

  @Test
  void anUpgradeRefusedWithRetryAfterIsMadeAgainAfterIt() throws Exception {
    GATEWAY.holdRegistrations();
    try (WsClient first = WsClient.connect(GATEWAY.port()); WsClient second = WsClient.connect(GATEWAY.port())) {
      first.send(frontend("First"));
      Await.until("presence holds the first", WsClient.TIMEOUT, () -> GATEWAY.registrations().size() == 1);
      second.send(frontend("Second"));
      double refusedBefore = count("agenthub.connections.refused", "reason", "registrations_waiting");
      Await.until("the gateway is saturated: a probe is refused", WsClient.TIMEOUT, () -> {
        GATEWAY.clock().advance(Duration.ofSeconds(1));
        try (WsClient probe = WsClient.connect(GATEWAY.port())) {
          return false;
        } catch (ExecutionException refused) {
          return true;
        }
      });
      HubSocket chat = hubSocket(ClientRole.FRONTEND, "Chat");
      Future<String> registered = chat.connect();
      Await.until("the companion's upgrade is refused too", WsClient.TIMEOUT,
          () -> count("agenthub.connections.refused", "reason", "registrations_waiting") >= refusedBefore + 2);
      GATEWAY.releaseRegistrations();
      assertTrue(await(registered).startsWith("web_"));
      assertEquals(3, GATEWAY.registrations().size());
      await(chat.close());
    }
  }

  private static HubSocket hubSocket(ClientRole role, String name) {
    CompanionSettings settings = new CompanionSettings("ws://127.0.0.1:" + GATEWAY.port() + "/ws", "127.0.0.1", 5672,
        "guest", "guest", "/");
    return new HubSocket(GATEWAY.vertx(), settings, role, name, frame -> { });
  }

  private static JsonObject frontend(String name) {
    return new JsonObject().put("message_type", "REGISTER_FRONTEND").put("frontend_name", name);
  }

  private static double count(String counter, String tag, String value) {
    return HubMetrics.registry().counter(counter, tag, value).count();
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
