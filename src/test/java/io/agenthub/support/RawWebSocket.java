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
 * A WebSocket client over a plain TCP socket, for what well-behaved libraries never do: register and then never read
 * again, like a frozen browser tab (a tiny receive buffer makes the stall bite early), or vanish in the middle of a
 * frame.
 */
public final class RawWebSocket implements AutoCloseable {
  private final Socket socket;

  private RawWebSocket(Socket socket) {
    this.socket = socket;
  }

  public static RawWebSocket registerFrontend(int port, String name) throws Exception {
    return register(port, "frontend", name);
  }

  public static RawWebSocket register(int port, String role, String name) throws Exception {
    return register(port, new JsonObject().put("message_type", "REGISTER_" + role.toUpperCase()).put(role + "_name", name));
  }

  /** Connects and sends this REGISTER_… frame (under 126 bytes), without reading the answer. */
  public static RawWebSocket register(int port, JsonObject registration) throws Exception {
    Socket socket = new Socket();
    socket.setReceiveBufferSize(4096);
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
    socket.setSoTimeout(5_000);
    OutputStream out = socket.getOutputStream();
    out.write(("GET /ws HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    readHandshakeResponse(socket.getInputStream());
    out.write(maskedTextFrame(registration.encode().getBytes(StandardCharsets.UTF_8)));
    out.flush();
    return new RawWebSocket(socket);
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

  /** The next text frame from the hub (unmasked, under 64 KiB), e.g. the registration response. */
  public JsonObject readFrame() throws Exception {
    InputStream in = socket.getInputStream();
    int opcode = in.readNBytes(1)[0] & 0x0f;
    int length = in.readNBytes(1)[0] & 0x7f;
    if (length == 126) {
      byte[] extended = in.readNBytes(2);
      length = ((extended[0] & 0xff) << 8) | (extended[1] & 0xff);
    }
    byte[] payload = in.readNBytes(length);
    if (opcode != 0x1) {
      throw new IllegalStateException("expected a text frame, got opcode " + opcode);
    }
    return new JsonObject(new String(payload, StandardCharsets.UTF_8));
  }

  /** Announces a text frame of {@code announcedLength} bytes, sends only its first byte, and drops the connection. */
  public void vanishMidFrame(int announcedLength) throws Exception {
    OutputStream out = socket.getOutputStream();
    out.write(new byte[] {(byte) 0x81, (byte) (0x80 | 126), (byte) (announcedLength >> 8), (byte) announcedLength,
        1, 2, 3, 4, '{'});
    out.flush();
    socket.setSoLinger(true, 0);
    socket.close();
  }

  @Override
  public void close() throws Exception {
    socket.close();
  }
}
