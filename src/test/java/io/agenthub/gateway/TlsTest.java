package io.agenthub.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agenthub.config.HubConfig;
import io.agenthub.config.InvalidConfigException;
import io.agenthub.config.Setting;
import io.agenthub.support.HubExtension;
import io.agenthub.support.Integration;
import io.agenthub.support.RabbitVhost;
import io.agenthub.support.RawWebSocket;
import io.agenthub.support.TestHub;
import io.agenthub.support.WsClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.concurrent.ExecutionException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * wss:// from a PEM certificate and key (a self-signed test pair under src/test/resources/tls, CN and SAN
 * localhost / 127.0.0.1); a missing or unusable file stops start-up with a message naming its setting.
 */
@Integration
class TlsTest {
  private static final Path CERT = Path.of("src/test/resources/tls/cert.pem").toAbsolutePath();
  private static final Path KEY = Path.of("src/test/resources/tls/key.pem").toAbsolutePath();

  @Nested
  class WithCertificate {
    @RegisterExtension
    static final HubExtension HUB = HubExtension.perClass("tls", new JsonObject()
        .put("TLS_CERT_FILE", CERT.toString()).put("TLS_KEY_FILE", KEY.toString()));

    @Test
    void clientsRegisterOverWssAndAreToldAWssUrl() throws Exception {
      HttpClient trusting = HttpClient.newBuilder().sslContext(trustingTestCertificate()).build();
      try (WsClient client = WsClient.connect(trusting, URI.create("wss://localhost:" + HUB.port() + "/ws"))) {
        client.send(new JsonObject().put("message_type", "REGISTER_FRONTEND").put("frontend_name", "Secure"));
        assertEquals("REGISTER_FRONTEND_RESPONSE", client.next().getString("message_type"));
        client.send(new JsonObject().put("message_type", "PING"));
        client.next("PONG");
      }
      HttpResponse<String> root = trusting.send(
          HttpRequest.newBuilder(URI.create("https://localhost:" + HUB.port() + "/")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals("wss://localhost:8765/ws", new JsonObject(root.body()).getString("websocket_url"));
    }

    @Test
    void plainWsIsNotServed() {
      assertThrows(ExecutionException.class, () -> WsClient.connect(HUB.port()).close());
    }
  }

  /** Over TLS, Vert.x sets a connection up only after the handshake; the compression guard must still be there. */
  @Nested
  class WithCompression {
    @RegisterExtension
    static final HubExtension HUB = HubExtension.perClass("tls-deflate", new JsonObject()
        .put("TLS_CERT_FILE", CERT.toString()).put("TLS_KEY_FILE", KEY.toString())
        .put("WEBSOCKET_COMPRESSION", true));

    @Test
    void aBareOfferIsGrantedNoContextTakeoverOnBothSides() throws Exception {
      Socket tls = trustingTestCertificate().getSocketFactory().createSocket("localhost", HUB.port());
      try (RawWebSocket client = RawWebSocket.openOver(tls, HUB.port(),
          "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n")) {
        String response = client.handshakeResponse();
        assertTrue(response.contains("permessage-deflate"), response);
        assertTrue(response.contains("server_no_context_takeover"), response);
        assertTrue(response.contains("client_no_context_takeover"), response);
      }
    }
  }

  @Test
  void aCertificateWithoutAKeyIsAnInvalidConfiguration() {
    InvalidConfigException invalid = assertThrows(InvalidConfigException.class,
        () -> HubConfig.parse(Setting.defaults().put("TLS_CERT_FILE", CERT.toString())));
    assertTrue(invalid.getMessage().contains("TLS_KEY_FILE is missing"), invalid.getMessage());
  }

  @Test
  void aMissingKeyFileStopsStartUpNamingTheSetting() throws Exception {
    String failure = startFailure(new JsonObject().put("TLS_CERT_FILE", CERT.toString())
        .put("TLS_KEY_FILE", "/nonexistent/key.pem"));
    assertTrue(failure.contains("TLS_KEY_FILE=/nonexistent/key.pem cannot be read"), failure);
  }

  @Test
  void aFileThatIsNoKeyStopsStartUpNamingTheSetting() throws Exception {
    String failure = startFailure(new JsonObject().put("TLS_CERT_FILE", CERT.toString())
        .put("TLS_KEY_FILE", CERT.toString()));
    assertTrue(failure.contains("TLS_KEY_FILE=" + CERT + " is not a PEM file with a PRIVATE KEY"), failure);
  }

  @Test
  void aCorruptKeyStopsStartUpNamingBothSettings() throws Exception {
    Path corrupt = Files.createTempFile("corrupt-key", ".pem");
    Files.writeString(corrupt, "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n");
    String failure = startFailure(new JsonObject().put("TLS_CERT_FILE", CERT.toString())
        .put("TLS_KEY_FILE", corrupt.toString()));
    assertTrue(failure.contains("TLS_KEY_FILE=" + corrupt)
        && failure.contains("not a usable certificate and private key"), failure);
  }

  private static String startFailure(JsonObject settings) throws Exception {
    Vertx vertx = Vertx.vertx();
    try (RabbitVhost rabbit = RabbitVhost.create("tls-failure")) {
      ExecutionException failed = assertThrows(ExecutionException.class,
          () -> TestHub.start(vertx, "tls-node", rabbit, settings).close());
      return failed.getCause().getMessage();
    } finally {
      TestHub.await(vertx.close());
    }
  }

  private static SSLContext trustingTestCertificate() throws Exception {
    KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
    trusted.load(null, null);
    try (InputStream pem = Files.newInputStream(CERT)) {
      trusted.setCertificateEntry("hub", CertificateFactory.getInstance("X.509").generateCertificate(pem));
    }
    TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(trusted);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trust.getTrustManagers(), null);
    return context;
  }
}
