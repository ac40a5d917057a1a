package io.agenthub.gateway.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agenthub.support.GatewayFixture;
import io.agenthub.support.WsClient;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * REGISTRATION_RATE_LIMIT per remote address and CLIENT_RATE_LIMIT per socket, on the gateway alone: what is over
 * the burst is refused with RATE_LIMITED and the socket stays usable; the buckets refill only as the gateway's clock
 * moves, which the test moves by hand. {@code RegistrationRateLimitTest} checks the registration limit on a whole hub.
 */
class RateLimitBusTest {
  private static final int REGISTRATION_BURST = 3;
  private static final int FRAME_BURST = 3;

  @RegisterExtension
  static final GatewayFixture GATEWAY = GatewayFixture.perTest(new JsonObject()
      .put("REGISTRATION_RATE_LIMIT", 1).put("REGISTRATION_RATE_BURST", REGISTRATION_BURST)
      .put("CLIENT_RATE_LIMIT", 2).put("CLIENT_RATE_BURST", FRAME_BURST));

  @Test
  void registrationsBeyondTheBurstAreRefusedUntilTheAddressesBucketRefills() throws Exception {
    List<WsClient> admitted = new ArrayList<>();
    try (WsClient refused = WsClient.connect(GATEWAY.port())) {
      for (int i = 0; i < REGISTRATION_BURST; i++) {
        admitted.add(WsClient.register(GATEWAY.port(), "agent", "Agent " + i));
      }
      refused.send(registration());
      JsonObject error = refused.next();
      assertEquals("RATE_LIMITED", error.getString("error_code"), error.encode());
      assertEquals("Too many registrations from 127.0.0.1 (at most 1 per second); retry later",
          error.getString("text_payload"));
      refused.sendUnchecked(new JsonObject().put("message_type", "PING"));
      assertEquals("NOT_REGISTERED", refused.next("ERROR").getString("error_code"), "still unregistered");
      GATEWAY.clock().advance(Duration.ofMillis(999));
      refused.send(registration());
      assertEquals("RATE_LIMITED", refused.next().getString("error_code"), "not a whole registration refilled yet");
      assertEquals(REGISTRATION_BURST, GATEWAY.registrations().size(), "refused registrations never reach presence");

      GATEWAY.clock().advance(Duration.ofMillis(1));
      refused.send(registration());
      assertEquals("REGISTER_AGENT_RESPONSE", refused.next().getString("message_type"));
    } finally {
      admitted.forEach(WsClient::close);
    }
  }

  @Test
  void refusedRegistrationsCountToo() throws Exception {
    try (WsClient client = WsClient.connect(GATEWAY.port())) {
      for (int i = 0; i < REGISTRATION_BURST; i++) {
        client.sendUnchecked(new JsonObject().put("message_type", "REGISTER_AGENT").put("agent_name", "server"));
        assertEquals("INVALID_NAME", client.next().getString("error_code"));
      }
      client.send(registration());
      assertEquals("RATE_LIMITED", client.next().getString("error_code"));
    }
  }

  /** The registration frame took one token of the socket's burst; the frames over it are answered, not processed. */
  @Test
  void framesBeyondTheBurstAreRefusedUntilTheSocketsBucketRefills() throws Exception {
    try (WsClient client = WsClient.register(GATEWAY.port(), "agent", "Flooder")) {
      List<JsonObject> answers = new ArrayList<>();
      for (int i = 0; i < FRAME_BURST; i++) {
        client.send(new JsonObject().put("message_type", "PING"));
        answers.add(client.next());
      }
      assertEquals(List.of("PONG", "PONG", "ERROR"),
          answers.stream().map(f -> f.getString("message_type")).toList());
      JsonObject refusal = answers.get(2);
      assertEquals("RATE_LIMITED", refusal.getString("error_code"));
      assertEquals("Rate limit of 2 frames per second exceeded; frame dropped", refusal.getString("text_payload"));

      GATEWAY.clock().advance(Duration.ofMillis(500));
      client.send(new JsonObject().put("message_type", "PING"));
      assertEquals("PONG", client.next().getString("message_type"), "half a second refilled one frame");
      client.send(new JsonObject().put("message_type", "PING"));
      assertEquals("RATE_LIMITED", client.next().getString("error_code"));
      assertTrue(client.isOpen());
    }
  }

  private static JsonObject registration() {
    return new JsonObject().put("message_type", "REGISTER_AGENT").put("agent_name", "Patient");
  }
}
