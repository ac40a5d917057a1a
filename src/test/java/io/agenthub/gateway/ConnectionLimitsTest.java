package io.agenthub.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agenthub.metrics.HubMetrics;
import io.agenthub.support.Await;
import io.agenthub.support.HubExtension;
import io.agenthub.support.Integration;
import io.agenthub.support.RawWebSocket;
import io.agenthub.support.WsClient;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.net.http.WebSocketHandshakeException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Connection limits on a whole hub: a full instance refuses the upgrade with 503 and Retry-After, and a closed socket
 * frees its place. The per-address limit and live changes are checked on the gateway alone
 * ({@code gateway.policy.ConnectionLimitsBusTest}).
 */
@Integration
class ConnectionLimitsTest {
  @RegisterExtension
  static final HubExtension HUB = HubExtension.perClass("connection-limits",
      new JsonObject().put("MAX_CONNECTIONS", 3).put("MAX_CONNECTIONS_PER_ADDRESS", 2));

  @Test
  void aFullInstanceGets503WithRetryAfterAndAClosedSocketFreesItsPlace() throws Exception {
    double refusedBefore = refused("max_connections");
    try (WsClient first = WsClient.connect(HUB.port()); WsClient second = WsClient.connect(HUB.port());
         RawWebSocket third = RawWebSocket.open(HUB.port(), "", InetAddress.getByName("127.0.0.2"))) {
      WebSocketHandshakeException refusal = refusedUpgrade();
      assertEquals(503, refusal.getResponse().statusCode());
      assertEquals("5", refusal.getResponse().headers().firstValue("Retry-After").orElse(null));
      assertEquals(refusedBefore + 1, refused("max_connections"));
      second.close();
      Await.until("the closed socket's place is free again", WsClient.TIMEOUT, () -> {
        try (WsClient again = WsClient.connect(HUB.port())) {
          return again.isOpen();
        } catch (ExecutionException stillFull) {
          return false;
        }
      });
    }
  }

  private static WebSocketHandshakeException refusedUpgrade() {
    ExecutionException failed = assertThrows(ExecutionException.class, () -> WsClient.connect(HUB.port()).close());
    assertTrue(failed.getCause() instanceof WebSocketHandshakeException, String.valueOf(failed.getCause()));
    return (WebSocketHandshakeException) failed.getCause();
  }

  private static double refused(String reason) {
    return HubMetrics.registry().counter("agenthub.connections.refused", "reason", reason).count();
  }
}
