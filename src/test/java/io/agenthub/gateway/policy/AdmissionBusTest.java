package io.agenthub.gateway.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agenthub.support.Await;
import io.agenthub.support.GatewayFixture;
import io.agenthub.support.WsClient;
import io.vertx.core.json.JsonObject;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Admission on the gateway alone, every client from 127.0.0.1, with an allowance of 1 per second and a burst of 3
 * (REGISTRATION_RATE_LIMIT, REGISTRATION_RATE_BURST): a crowd that registers and stays costs nothing, and neither do
 * agents coming back with their ids; new agent identities, refused tokens and sockets dropped within
 * REGISTRATION_CHURN_WINDOW (5 s) spend it, and beyond it a registration is refused with RATE_LIMITED and
 * {@code retry_after_ms}. One registration is worked on at a time (MAX_REGISTRATIONS_IN_FLIGHT); the others wait,
 * and when the oldest has waited REGISTRATION_MAX_WAIT (2 s) upgrades get 503 with Retry-After. The gateway's clock
 * moves only when the test moves it. {@code RegistrationRateLimitTest} checks the allowance on a whole hub.
 */
class AdmissionBusTest {
  private static final int BURST = 3;

  @RegisterExtension
  static final GatewayFixture GATEWAY = GatewayFixture.perTest(new JsonObject()
      .put("REGISTRATION_RATE_LIMIT", 1).put("REGISTRATION_RATE_BURST", BURST)
      .put("MAX_REGISTRATIONS_IN_FLIGHT", 1).put("REGISTRATION_MAX_WAIT", 2)
      .put("BROKER_TOKENS", "broker-secret"));

  @Test
  void aCrowdFromOneAddressThatRegistersAndStaysIsNeverRefused() throws Exception {
    List<WsClient> crowd = new ArrayList<>();
    try (WsClient misnamed = WsClient.connect(GATEWAY.port())) {
      for (int i = 0; i < 2 * BURST; i++) {
        misnamed.sendUnchecked(new JsonObject().put("message_type", "REGISTER_FRONTEND").put("frontend_name", ""));
        assertEquals("NAME_REQUIRED", misnamed.next().getString("error_code"), "a refused name costs nothing");
      }
      for (int i = 0; i < 10 * BURST; i++) {
        crowd.add(WsClient.register(GATEWAY.port(), "frontend", "Tab " + i));
      }
      crowd.add(WsClient.register(GATEWAY.port(), new JsonObject().put("message_type", "REGISTER_BROKER")
          .put("broker_name", "Router").put("token", "broker-secret")));
      assertEquals(10 * BURST + 1, GATEWAY.registrations().size());
    } finally {
      crowd.forEach(WsClient::close);
    }
  }

  @Test
  void newAgentIdentitiesBeyondTheBurstAreRefusedUntilTheAllowanceRefills() throws Exception {
    List<WsClient> agents = new ArrayList<>();
    try (WsClient refused = WsClient.connect(GATEWAY.port())) {
      for (int i = 0; i < BURST; i++) {
        agents.add(WsClient.register(GATEWAY.port(), "agent", "Agent " + i));
      }
      refused.send(agent("Agent 3"));
      assertRefusedFor(refused.next(), 1000);
      refused.sendUnchecked(new JsonObject().put("message_type", "PING"));
      assertEquals("NOT_REGISTERED", refused.next().getString("error_code"), "still unregistered");

      GATEWAY.clock().advance(Duration.ofMillis(999));
      refused.send(agent("Agent 3"));
      assertRefusedFor(refused.next(), 1);
      GATEWAY.clock().advance(Duration.ofMillis(1));
      refused.send(agent("Agent 3"));
      assertEquals("REGISTER_AGENT_RESPONSE", refused.next().getString("message_type"));
      assertEquals(BURST + 1, GATEWAY.registrations().size(), "refused registrations never reach presence");
    } finally {
      agents.forEach(WsClient::close);
    }
  }

  @Test
  void agentsComingBackWithTheirIdsCostNothingEvenWhenTheAllowanceIsSpent() throws Exception {
    List<WsClient> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < BURST; i++) {
        sockets.add(WsClient.register(GATEWAY.port(), "agent", "Agent " + i));
      }
      for (int i = 0; i < BURST; i++) {
        String id = sockets.get(i).id();
        WsClient back = WsClient.register(GATEWAY.port(), agent("Agent " + i).put("agent_id", id));
        sockets.add(back);
        assertEquals(id, back.id());
      }
      GATEWAY.clock().advance(Duration.ofSeconds(1));
      sockets.add(WsClient.register(GATEWAY.port(), "agent", "Newcomer"));
    } finally {
      sockets.forEach(WsClient::close);
    }
  }

  @Test
  void socketsDroppedSoonAfterRegisteringSpendTheAllowanceAndSocketsThatStayedDoNot() throws Exception {
    List<WsClient> stayed = new ArrayList<>();
    for (int i = 0; i < BURST; i++) {
      stayed.add(WsClient.register(GATEWAY.port(), "frontend", "Stayed " + i));
    }
    GATEWAY.clock().advance(Duration.ofSeconds(5));
    for (WsClient client : stayed) {
      client.close();
      GATEWAY.awaitDisconnected(client.id(), 10);
    }
    for (int i = 0; i < BURST; i++) {
      WsClient dropped = WsClient.register(GATEWAY.port(), "frontend", "Dropped " + i);
      dropped.close();
      GATEWAY.awaitDisconnected(dropped.id(), 10);
    }
    try (WsClient looping = WsClient.connect(GATEWAY.port())) {
      looping.send(frontend("Looping"));
      JsonObject refusal = looping.next();
      assertRefusedFor(refusal, 1000);
      assertEquals("Too many registrations from 127.0.0.1 that add agents, fail their token or drop at once "
          + "(at most 1 per second); retry after 1000 ms", refusal.getString("text_payload"));
      GATEWAY.clock().advance(Duration.ofSeconds(1));
      looping.send(frontend("Looping"));
      assertEquals("REGISTER_FRONTEND_RESPONSE", looping.next().getString("message_type"));
    }
  }

  @Test
  void refusedTokensSpendTheAllowance() throws Exception {
    try (WsClient guesser = WsClient.connect(GATEWAY.port())) {
      for (int i = 0; i < BURST; i++) {
        guesser.send(new JsonObject().put("message_type", "REGISTER_BROKER").put("broker_name", "Guesser")
            .put("token", "guess-" + i));
        assertEquals("UNAUTHORIZED", guesser.next().getString("error_code"));
      }
      guesser.send(frontend("Guesser"));
      assertRefusedFor(guesser.next(), 1000);
    }
  }

  @Test
  void registrationsWaitTheirTurnAndASaturatedInstanceRefusesUpgradesWith503AndRetryAfter() throws Exception {
    GATEWAY.holdRegistrations();
    try (WsClient first = WsClient.connect(GATEWAY.port()); WsClient second = WsClient.connect(GATEWAY.port())) {
      first.send(frontend("First"));
      Await.until("presence is asked to register the first", WsClient.TIMEOUT,
          () -> GATEWAY.registrations().size() == 1);
      second.send(frontend("Second"));
      WebSocketHandshakeException refusal = refusedOnceTheSecondHasWaitedTwoSeconds();
      assertEquals(503, refusal.getResponse().statusCode());
      assertEquals("2", refusal.getResponse().headers().firstValue("Retry-After").orElse(null));
      assertEquals(1, GATEWAY.registrations().size(), "the second waits for the first, which presence holds");

      GATEWAY.releaseRegistrations();
      assertEquals("REGISTER_FRONTEND_RESPONSE", first.next().getString("message_type"));
      assertEquals("REGISTER_FRONTEND_RESPONSE", second.next().getString("message_type"));
      try (WsClient later = WsClient.connect(GATEWAY.port())) {
        assertTrue(later.isOpen(), "with no registration waiting the instance takes sockets again");
      }
    }
  }

  /**
   * Moves the clock 2 s at a time until an upgrade is refused: the second's registration is queued at some moment
   * the test cannot see, and the first refusal comes when it has waited exactly 2 s.
   */
  private static WebSocketHandshakeException refusedOnceTheSecondHasWaitedTwoSeconds() throws Exception {
    WebSocketHandshakeException[] refusal = new WebSocketHandshakeException[1];
    Await.until("an upgrade is refused while the second registration waits", WsClient.TIMEOUT, () -> {
      GATEWAY.clock().advance(Duration.ofSeconds(2));
      try (WsClient probe = WsClient.connect(GATEWAY.port())) {
        return false;
      } catch (ExecutionException e) {
        refusal[0] = (WebSocketHandshakeException) e.getCause();
        return true;
      }
    });
    return refusal[0];
  }

  private static void assertRefusedFor(JsonObject error, long retryAfterMs) {
    assertEquals("RATE_LIMITED", error.getString("error_code"), error.encode());
    assertEquals(retryAfterMs, error.getLong("retry_after_ms"), error.encode());
  }

  private static JsonObject agent(String name) {
    return new JsonObject().put("message_type", "REGISTER_AGENT").put("agent_name", name);
  }

  private static JsonObject frontend(String name) {
    return new JsonObject().put("message_type", "REGISTER_FRONTEND").put("frontend_name", name);
  }
}
