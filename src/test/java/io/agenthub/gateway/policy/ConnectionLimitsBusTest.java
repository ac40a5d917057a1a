package io.agenthub.gateway.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agenthub.metrics.HubMetrics;
import io.agenthub.support.Await;
import io.agenthub.support.GatewayFixture;
import io.agenthub.support.RawWebSocket;
import io.agenthub.support.WsClient;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.net.http.WebSocketHandshakeException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Connection limits on the gateway alone: the upgrade is refused with a status a client can act on, 503 with
 * Retry-After when the instance is full, 429 with Retry-After when one address holds its share; every refusal is
 * counted; the limits apply live. {@code ConnectionLimitsTest} checks the instance limit on a whole hub.
 */
class ConnectionLimitsBusTest {
  @RegisterExtension
  static final GatewayFixture GATEWAY = GatewayFixture.perTest(new JsonObject()
      .put("MAX_CONNECTIONS", 3).put("MAX_CONNECTIONS_PER_ADDRESS", 2));

  @Test
  void anAddressOverItsShareGets429AndAnotherAddressIsStillServed() throws Exception {
    double refusedBefore = refused("max_connections_per_address");
    try (WsClient first = WsClient.connect(GATEWAY.port()); WsClient second = WsClient.connect(GATEWAY.port())) {
      WebSocketHandshakeException refusal = refusedUpgrade();
      assertEquals(429, refusal.getResponse().statusCode());
      assertEquals("5", refusal.getResponse().headers().firstValue("Retry-After").orElse(null));
      assertEquals(refusedBefore + 1, refused("max_connections_per_address"));
      try (RawWebSocket other = RawWebSocket.open(GATEWAY.port(), "", InetAddress.getByName("127.0.0.2"))) {
        assertTrue(other.handshakeResponse().startsWith("HTTP/1.1 101"), "another address has its own share");
      }
    }
  }

  @Test
  void aFullInstanceGets503WithRetryAfterAndAClosedSocketFreesItsPlace() throws Exception {
    double refusedBefore = refused("max_connections");
    try (WsClient first = WsClient.connect(GATEWAY.port()); WsClient second = WsClient.connect(GATEWAY.port());
         RawWebSocket third = RawWebSocket.open(GATEWAY.port(), "", InetAddress.getByName("127.0.0.2"))) {
      WebSocketHandshakeException refusal = refusedUpgrade();
      assertEquals(503, refusal.getResponse().statusCode());
      assertEquals("5", refusal.getResponse().headers().firstValue("Retry-After").orElse(null));
      assertEquals(refusedBefore + 1, refused("max_connections"));
      second.close();
      Await.until("the closed socket's place is free again", WsClient.TIMEOUT, () -> {
        try (WsClient again = WsClient.connect(GATEWAY.port())) {
          return again.isOpen();
        } catch (ExecutionException stillFull) {
          return false;
        }
      });
    }
  }

  @Test
  void limitsApplyLiveWithoutClosingOpenSockets() throws Exception {
    try (WsClient first = WsClient.register(GATEWAY.port(), "frontend", "One");
         WsClient second = WsClient.register(GATEWAY.port(), "frontend", "Two")) {
      refusedUpgrade();
      GATEWAY.changeSettings(new JsonObject().put("MAX_CONNECTIONS_PER_ADDRESS", 3));
      Await.until("a third socket from this address is accepted", WsClient.TIMEOUT, () -> {
        try (WsClient third = WsClient.connect(GATEWAY.port())) {
          return third.isOpen();
        } catch (ExecutionException stillRefused) {
          return false;
        }
      });
      first.send(new JsonObject().put("message_type", "PING"));
      first.next("PONG");
      second.send(new JsonObject().put("message_type", "PING"));
      second.next("PONG");
    }
  }

  private static WebSocketHandshakeException refusedUpgrade() {
    ExecutionException failed =
        assertThrows(ExecutionException.class, () -> WsClient.connect(GATEWAY.port()).close());
    assertTrue(failed.getCause() instanceof WebSocketHandshakeException, String.valueOf(failed.getCause()));
    return (WebSocketHandshakeException) failed.getCause();
  }

  private static double refused(String reason) {
    return HubMetrics.registry().counter("agenthub.connections.refused", "reason", reason).count();
  }
}
