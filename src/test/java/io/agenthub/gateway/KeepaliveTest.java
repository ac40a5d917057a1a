package io.agenthub.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.agenthub.support.HubExtension;
import io.agenthub.support.Integration;
import io.agenthub.support.RawWebSocket;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * WEBSOCKET_STALL_TIMEOUT (lowered to 1.5 s, with no heartbeat or status frame to keep a socket busy): an idle
 * socket is pinged every third of it and stays served across many timeouts, while a connection nothing can be
 * written to is closed. The client that stops reading is in {@link UnreadLimitTest} and {@link SlowClientTest}.
 */
@Integration
class KeepaliveTest {
  private static final int PINGS = 6;

  @RegisterExtension
  static final HubExtension HUB = HubExtension.perClass("keepalive", new JsonObject()
      .put("WEBSOCKET_STALL_TIMEOUT", 1.5).put("SERVER_HEARTBEAT_INTERVAL", 3600)
      .put("PERIODIC_STATUS_INTERVAL", 3600));

  @Test
  void anIdleRegisteredSocketIsPingedAndStaysServedAcrossManyTimeouts() throws Exception {
    try (RawWebSocket frontend = RawWebSocket.registerFrontend(HUB.port(), "Idle tab")) {
      int pings = 0;
      while (pings < PINGS) {
        if (frontend.nextFrame().opcode() == RawWebSocket.OPCODE_PING) {
          pings++;
        }
      }
      frontend.sendFrame(RawWebSocket.FIN | RawWebSocket.OPCODE_TEXT,
          new JsonObject().put("message_type", "PING").encode().getBytes(StandardCharsets.UTF_8));
      RawWebSocket.Frame answer;
      do {
        answer = frontend.nextFrame();
      } while (answer.opcode() != RawWebSocket.OPCODE_TEXT || !"PONG".equals(answer.json().getString("message_type")));
      assertEquals("server", answer.json().getString("sender_id"), "still served after " + PINGS + " pings");
    }
  }

  @Test
  void aConnectionThatNeverUpgradesIsClosedWhenNothingWasWrittenForTheTimeout() throws Exception {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", HUB.port()), 5_000);
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.US_ASCII));
      InputStream in = socket.getInputStream();
      assertEquals(-1, in.read(), "the hub closed the half-sent request's connection");
    }
  }
}
