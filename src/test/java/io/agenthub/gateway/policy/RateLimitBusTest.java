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
 * CLIENT_RATE_LIMIT per socket, on the gateway alone: what is over the burst is refused with RATE_LIMITED, which says
 * when to try again, and the socket stays usable; the bucket refills only as the gateway's clock moves, which the
 * test moves by hand. What an address may register is {@code AdmissionBusTest}'s.
 */
class RateLimitBusTest {
  private static final int FRAME_BURST = 3;

  @RegisterExtension
  static final GatewayFixture GATEWAY = GatewayFixture.perTest(new JsonObject()
      .put("CLIENT_RATE_LIMIT", 2).put("CLIENT_RATE_BURST", FRAME_BURST));

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
      assertEquals(500, refusal.getLong("retry_after_ms"), "half a second refills one frame at 2 per second");

      GATEWAY.clock().advance(Duration.ofMillis(500));
      client.send(new JsonObject().put("message_type", "PING"));
      assertEquals("PONG", client.next().getString("message_type"), "half a second refilled one frame");
      client.send(new JsonObject().put("message_type", "PING"));
      JsonObject again = client.next();
      assertEquals("RATE_LIMITED", again.getString("error_code"));
      assertEquals(500, again.getLong("retry_after_ms"));
      assertTrue(client.isOpen());
    }
  }

}
