package io.agenthub.support;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket client that registers and then never reads again, like a frozen browser tab: written over a plain TCP
 * socket with a tiny receive buffer, because every WebSocket library keeps reading on its own.
 */
public final class StalledClient implements AutoCloseable {
  private final Socket socket;

  private StalledClient(Socket socket) {
    this.socket = socket;
  }

  public static StalledClient registerFrontend(int port, String name) throws Exception {
    Socket socket = new Socket();
    socket.setReceiveBufferSize(4096);
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
    socket.setSoTimeout(5_000);
    OutputStream out = socket.getOutputStream();
    out.write(("GET /ws HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    readHandshakeResponse(socket.getInputStream());
    out.write(maskedTextFrame(new JsonObject().put("message_type", "REGISTER_FRONTEND").put("frontend_name", name)
        .encode().getBytes(StandardCharsets.UTF_8)));
    out.flush();
    return new StalledClient(socket);
  }

  private static void readHandshakeResponse(InputStream in) throws Exception {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IllegalStateException("connection closed during the handshake: " + head);
      }
      head.write(b);
    }
    if (!head.toString(StandardCharsets.US_ASCII).startsWith("HTTP/1.1 101")) {
      throw new IllegalStateException("upgrade refused: " + head);
    }
  }

  /** Client frames must be masked (RFC 6455 5.3); payloads here stay under 126 bytes. */
  private static byte[] maskedTextFrame(byte[] payload) {
    byte[] mask = new byte[4];
    ThreadLocalRandom.current().nextBytes(mask);
    byte[] frame = new byte[2 + 4 + payload.length];
    frame[0] = (byte) 0x81;
    frame[1] = (byte) (0x80 | payload.length);
    System.arraycopy(mask, 0, frame, 2, 4);
    for (int i = 0; i < payload.length; i++) {
      frame[6 + i] = (byte) (payload[i] ^ mask[i % 4]);
    }
    return frame;
  }

  @Override
  public void close() throws Exception {
    socket.close();
  }
}
