package io.agenthub.gateway.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.agenthub.metrics.HubMetrics;
import io.agenthub.support.GatewayFixture;
import io.agenthub.support.ProtocolSpec;
import io.agenthub.support.WsClient;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * REGISTRATION_TIMEOUT on the gateway alone: a socket that has not registered in time is closed with 1008, whatever
 * else it sent; a registered one is left alone. The timer runs on Vert.x, so the test waits for the close; the
 * timeout leaves the sockets ample time to act before it. {@code RegistrationTimeoutTest} checks it on a whole hub.
 */
class RegistrationTimeoutBusTest {
  @RegisterExtension
  static final GatewayFixture GATEWAY = GatewayFixture.perClass(new JsonObject().put("REGISTRATION_TIMEOUT", 2));

  /**
   * The first frame a {@link WsClient} sends in a JVM loads docs/asyncapi.yaml to check it, seconds on a loaded
   * machine: loaded before any socket opens, it takes none of the sockets' 2 s.
   */
  @BeforeAll
  static void loadTheSpec() {
    ProtocolSpec.get();
  }

  /** The chatty socket opens after the registered one, so its close shows the registered one's timeout passed. */
  @Test
  void aSocketThatSentAnythingButAnAcceptedRegistrationIsClosedAndARegisteredOneStays() throws Exception {
    double closedBefore = closedWith1008();
    try (WsClient registered = WsClient.register(GATEWAY.port(), "agent", "Punctual");
         WsClient chatty = WsClient.connect(GATEWAY.port())) {
      chatty.sendUnchecked(new JsonObject().put("message_type", "PING"));
      assertEquals("NOT_REGISTERED", chatty.next("ERROR").getString("error_code"));
      chatty.sendUnchecked(new JsonObject().put("message_type", "REGISTER_AGENT").put("agent_name", "server"));
      assertEquals("INVALID_NAME", chatty.next("ERROR").getString("error_code"));
      assertEquals(1008, chatty.awaitClose());
      assertEquals(closedBefore + 1, closedWith1008(), "counted as closed by the hub");
      registered.send(new JsonObject().put("message_type", "PING"));
      registered.next("PONG");
    }
  }

  private static double closedWith1008() {
    return HubMetrics.registry().counter("agenthub.sockets.closed_by_hub", "code", "1008").count();
  }
}
