package io.agenthub.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agenthub.support.Await;
import io.agenthub.support.HubExtension;
import io.agenthub.support.Integration;
import io.agenthub.support.Nginx;
import io.agenthub.support.RawWebSocket;
import io.agenthub.support.WsClient;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * TRUSTED_PROXIES through a real reverse proxy: Debian's nginx, started by the test, in front of a whole hub. The
 * test's clients connect to nginx from different loopback addresses (127.0.0.2, 127.0.0.3...), which nginx appends to
 * {@code X-Forwarded-For}; nginx itself reaches the hub from 127.0.0.1, the trusted proxy. Each client address may
 * hold two sockets (MAX_CONNECTIONS_PER_ADDRESS) and add one agent (REGISTRATION_RATE_BURST).
 */
@Integration
class ReverseProxyTest {
  private static final String PROXY = "127.0.0.1";

  @RegisterExtension
  static final HubExtension HUB = HubExtension.perTest("reverse-proxy", new JsonObject()
      .put("TRUSTED_PROXIES", PROXY).put("MAX_CONNECTIONS_PER_ADDRESS", 2)
      .put("REGISTRATION_RATE_LIMIT", 1).put("REGISTRATION_RATE_BURST", 1));

  private final List<RawWebSocket> open = new ArrayList<>();
  private Nginx nginx;

  @BeforeEach
  void startNginx() throws Exception {
    nginx = Nginx.proxyTo(HUB.port());
  }

  @AfterEach
  void stopNginx() throws Exception {
    closeAll(open);
    nginx.close();
  }

  @Test
  void throughTheTrustedProxyEveryRuleCountsPerForwardedClient() throws Exception {
    RawWebSocket first = viaProxy("127.0.0.2", "");
    RawWebSocket second = viaProxy("127.0.0.2", "");
    RawWebSocket other = viaProxy("127.0.0.3", "");
    assertRefusedWith(429, () -> viaProxy("127.0.0.2", ""));
    viaProxy("127.0.0.4", "X-Forwarded-For: 127.0.0.2\r\n");

    register(first, "Agent of 2");
    JsonObject refusal = register(second, "Second agent of 2");
    assertEquals("RATE_LIMITED", refusal.getString("error_code"), refusal.encode());
    assertTrue(refusal.getString("text_payload").startsWith("Too many registrations from 127.0.0.2 "),
        refusal.encode());
    assertEquals("REGISTER_AGENT_RESPONSE", register(other, "Agent of 3").getString("message_type"),
        "127.0.0.3 has an allowance of its own");
  }

  @Test
  void withTheProxyNoLongerTrustedEveryClientSharesItsAddress() throws Exception {
    Files.writeString(HUB.hub().confDir().resolve("zz-untrusted.json"), "{\"TRUSTED_PROXIES\": \"\"}");
    Await.until("a third client through the proxy is refused: the proxy's address holds two sockets",
        WsClient.TIMEOUT, this::thirdClientThroughTheProxyIsRefused);
  }

  /**
   * Three clients from three addresses through the proxy; true when the third is refused. Otherwise all are closed,
   * and the next try waits for the hub to count the closed ones out.
   */
  private boolean thirdClientThroughTheProxyIsRefused() throws Exception {
    List<RawWebSocket> two = new ArrayList<>();
    try {
      two.add(RawWebSocket.open(nginx.port(), "", InetAddress.getByName("127.0.0.2")));
      two.add(RawWebSocket.open(nginx.port(), "", InetAddress.getByName("127.0.0.3")));
    } catch (IllegalStateException stillCountingEarlierOnes) {
      closeAll(two);
      return false;
    }
    try (RawWebSocket third = RawWebSocket.open(nginx.port(), "", InetAddress.getByName("127.0.0.4"))) {
      return false;
    } catch (IllegalStateException refused) {
      assertTrue(refused.getMessage().startsWith("upgrade refused: HTTP/1.1 429 "), refused.getMessage());
      return true;
    } finally {
      closeAll(two);
    }
  }

  private static void closeAll(List<RawWebSocket> sockets) throws Exception {
    for (RawWebSocket socket : sockets) {
      socket.close();
    }
  }

  @Test
  void aClientConnectingDirectlyIsNotBelievedWhenItNamesAnotherAddress() throws Exception {
    direct("127.0.0.2", "X-Forwarded-For: 127.0.0.7\r\n");
    direct("127.0.0.2", "X-Forwarded-For: 127.0.0.8\r\nForwarded: for=127.0.0.8\r\n");
    assertRefusedWith(429, () -> direct("127.0.0.2", "X-Forwarded-For: 127.0.0.9\r\n"));
    viaProxy("127.0.0.7", "");
    viaProxy("127.0.0.7", "");
  }

  private RawWebSocket viaProxy(String clientAddress, String headers) throws Exception {
    return opened(RawWebSocket.open(nginx.port(), headers, InetAddress.getByName(clientAddress)));
  }

  private RawWebSocket direct(String clientAddress, String headers) throws Exception {
    return opened(RawWebSocket.open(HUB.port(), headers, InetAddress.getByName(clientAddress)));
  }

  private RawWebSocket opened(RawWebSocket socket) {
    open.add(socket);
    return socket;
  }

  private static JsonObject register(RawWebSocket socket, String agentName) throws Exception {
    socket.sendFrame(RawWebSocket.FIN | RawWebSocket.OPCODE_TEXT, new JsonObject()
        .put("message_type", "REGISTER_AGENT").put("agent_name", agentName).encode()
        .getBytes(StandardCharsets.UTF_8));
    return socket.readFrame();
  }

  private interface Upgrade {
    void open() throws Exception;
  }

  private static void assertRefusedWith(int status, Upgrade upgrade) {
    IllegalStateException refused = assertThrows(IllegalStateException.class, upgrade::open);
    assertTrue(refused.getMessage().startsWith("upgrade refused: HTTP/1.1 " + status + " "), refused.getMessage());
  }
}
