package io.agenthub.gateway;

import static io.agenthub.support.RawWebSocket.FIN;
import static io.agenthub.support.RawWebSocket.OPCODE_TEXT;
import static io.agenthub.support.RawWebSocket.RSV1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agenthub.support.HubExtension;
import io.agenthub.support.Integration;
import io.agenthub.support.RabbitVhost;
import io.agenthub.support.RawWebSocket;
import io.agenthub.support.TestHub;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * WEBSOCKET_COMPRESSION: off by default (an offer is answered without the extension); on, every offer is granted no
 * context takeover on both sides, a frame inflates at most to the transport limit, and reserved bits the socket did
 * not negotiate close it with 1002.
 */
@Integration
class CompressionTest {
  private static final String OFFER = "Sec-WebSocket-Extensions: permessage-deflate\r\n";
  private static final String NO_CONTEXT_OFFER =
      "Sec-WebSocket-Extensions: permessage-deflate; client_no_context_takeover; server_no_context_takeover\r\n";
  private static final byte[] PING = "{\"message_type\":\"PING\"}".getBytes(StandardCharsets.UTF_8);

  @Test
  void compressionOnAVertxWithoutTheGuardedTransportStopsStartUp() throws Exception {
    Vertx plain = Vertx.vertx();
    try (RabbitVhost rabbit = RabbitVhost.create("compression-unguarded")) {
      ExecutionException failed = assertThrows(ExecutionException.class, () -> TestHub.start(plain, "plain-node",
          rabbit, new JsonObject().put("WEBSOCKET_COMPRESSION", true)).close());
      assertTrue(failed.getCause().getMessage().startsWith("WEBSOCKET_COMPRESSION=true needs a Vert.x instance built "
          + "with GuardedTransport"), failed.getCause().getMessage());
    } finally {
      TestHub.await(plain.close());
    }
  }

  @Nested
  class Off {
    @RegisterExtension
    static final HubExtension HUB = HubExtension.perClass("compression-off", new JsonObject());

    @Test
    void anOfferIsAnsweredWithoutTheExtension() throws Exception {
      try (RawWebSocket client = RawWebSocket.open(HUB.port(), NO_CONTEXT_OFFER)) {
        assertFalse(client.handshakeResponse().toLowerCase(Locale.ROOT).contains("sec-websocket-extensions"),
            client.handshakeResponse());
        client.sendFrame(FIN | OPCODE_TEXT, PING);
        assertEquals("NOT_REGISTERED", client.nextFrame().json().getString("error_code"), "plain frames are served");
        client.sendFrame(FIN | RSV1 | OPCODE_TEXT, deflate(PING));
        assertEquals(1002, client.awaitCloseCode(), "a compressed frame was not negotiated");
      }
    }
  }

  @Nested
  class On {
    @RegisterExtension
    static final HubExtension HUB = HubExtension.perClass("compression-on",
        new JsonObject().put("WEBSOCKET_COMPRESSION", true));

    @Test
    void anOfferWithNoContextTakeoverIsGrantedItOnBothSides() throws Exception {
      try (RawWebSocket client = RawWebSocket.open(HUB.port(), NO_CONTEXT_OFFER)) {
        String extensions = extensionsHeader(client.handshakeResponse());
        assertTrue(extensions.startsWith("permessage-deflate"), client.handshakeResponse());
        assertTrue(extensions.contains("server_no_context_takeover"), extensions);
        assertTrue(extensions.contains("client_no_context_takeover"), extensions);
        for (int i = 0; i < 2; i++) {
          client.sendFrame(FIN | RSV1 | OPCODE_TEXT, deflate(PING));
          RawWebSocket.Frame answer = client.nextFrame();
          assertEquals("NOT_REGISTERED", new JsonObject(answer.rsv1() ? inflate(answer.payload())
              : new String(answer.payload(), StandardCharsets.UTF_8)).getString("error_code"));
        }
      }
    }

    @Test
    void aClientThatOffersNothingIsServedUncompressed() throws Exception {
      try (RawWebSocket client = RawWebSocket.open(HUB.port(), "")) {
        assertFalse(client.handshakeResponse().toLowerCase(Locale.ROOT).contains("sec-websocket-extensions"));
        client.sendFrame(FIN | OPCODE_TEXT, PING);
        RawWebSocket.Frame answer = client.nextFrame();
        assertFalse(answer.rsv1());
        assertEquals("NOT_REGISTERED", answer.json().getString("error_code"));
      }
    }

    @Test
    void aBareOfferIsGrantedNoContextTakeoverToo() throws Exception {
      try (RawWebSocket client = RawWebSocket.open(HUB.port(), OFFER)) {
        String extensions = extensionsHeader(client.handshakeResponse());
        assertTrue(extensions.startsWith("permessage-deflate"), client.handshakeResponse());
        assertTrue(extensions.contains("server_no_context_takeover"), extensions);
        assertTrue(extensions.contains("client_no_context_takeover"), extensions);
        client.sendFrame(FIN | RSV1 | OPCODE_TEXT, deflate(PING));
        RawWebSocket.Frame answer = client.nextFrame();
        assertEquals("NOT_REGISTERED", new JsonObject(answer.rsv1() ? inflate(answer.payload())
            : new String(answer.payload(), StandardCharsets.UTF_8)).getString("error_code"));
      }
    }

    @Test
    void rsv1OnASocketThatNegotiatedNothingClosesWith1002() throws Exception {
      try (RawWebSocket client = RawWebSocket.open(HUB.port(), "")) {
        client.sendFrame(FIN | RSV1 | OPCODE_TEXT, PING);
        assertEquals(1002, client.awaitCloseCode());
      }
    }

    @Test
    void rsv2ClosesWith1002EvenWithCompressionNegotiated() throws Exception {
      try (RawWebSocket client = RawWebSocket.open(HUB.port(), OFFER)) {
        client.sendFrame(FIN | 0x20 | OPCODE_TEXT, PING);
        assertEquals(1002, client.awaitCloseCode());
      }
    }

    @Test
    void rsv1OnAContinuationFrameClosesWith1002() throws Exception {
      try (RawWebSocket client = RawWebSocket.open(HUB.port(), OFFER)) {
        client.sendFrame(OPCODE_TEXT, "{\"message_type\":".getBytes(StandardCharsets.UTF_8));
        client.sendFrame(FIN | RSV1 | RawWebSocket.OPCODE_CONTINUATION,
            deflate("\"PING\"}".getBytes(StandardCharsets.UTF_8)));
        assertEquals(1002, client.awaitCloseCode());
      }
    }

    @Test
    void aFrameThatInflatesPastTheTransportLimitClosesWith1009() throws Exception {
      try (RawWebSocket client = RawWebSocket.open(HUB.port(), OFFER)) {
        byte[] bomb = ("{\"message_type\":\"PING\",\"x\":\"" + " ".repeat(3 * 1_048_576) + "\"}")
            .getBytes(StandardCharsets.UTF_8);
        client.sendFrame(FIN | RSV1 | OPCODE_TEXT, deflate(bomb));
        assertEquals(1009, client.awaitCloseCode());
      }
    }
  }

  private static String extensionsHeader(String response) {
    return Arrays.stream(response.split("\r\n"))
        .filter(line -> line.toLowerCase(Locale.ROOT).startsWith("sec-websocket-extensions:"))
        .map(line -> line.substring(line.indexOf(':') + 1).trim()).findFirst().orElse("");
  }

  /** RFC 7692 §7.2.1: raw DEFLATE, flushed, without the trailing 00 00 ff ff. */
  private static byte[] deflate(byte[] data) {
    Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
    deflater.setInput(data);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    int n;
    do {
      n = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH);
      out.write(buffer, 0, n);
    } while (n == buffer.length);
    deflater.end();
    byte[] flushed = out.toByteArray();
    return Arrays.copyOf(flushed, flushed.length - 4);
  }

  private static String inflate(byte[] payload) throws Exception {
    Inflater inflater = new Inflater(true);
    byte[] input = Arrays.copyOf(payload, payload.length + 4);
    input[payload.length + 2] = (byte) 0xff;
    input[payload.length + 3] = (byte) 0xff;
    inflater.setInput(input);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[1024];
    int n;
    while ((n = inflater.inflate(buffer)) > 0) {
      out.write(buffer, 0, n);
    }
    inflater.end();
    return out.toString(StandardCharsets.UTF_8);
  }
}
