package io.agenthub.support;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
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
  public static final int FIN = 0x80;
  public static final int RSV1 = 0x40;
  public static final int OPCODE_CONTINUATION = 0x0;
  public static final int OPCODE_TEXT = 0x1;
  public static final int OPCODE_CLOSE = 0x8;
  public static final int OPCODE_PING = 0x9;

  private final Socket socket;
  private String handshakeResponse = "";

  private RawWebSocket(Socket socket) {
    this.socket = socket;
  }

  /** A frame from the hub: its first byte (FIN, RSV bits, opcode) and payload. */
  public record Frame(int firstByte, byte[] payload) {
    public int opcode() {
      return firstByte & 0x0f;
    }

    public boolean rsv1() {
      return (firstByte & RSV1) != 0;
    }

    public JsonObject json() {
      return new JsonObject(new String(payload, StandardCharsets.UTF_8));
    }

    /** The status code of a close frame. */
    public int closeCode() {
      return ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
    }
  }

  /**
   * Upgrades without registering; {@code extraHeaders} are request header lines ending in CRLF, e.g. an offer of
   * {@code Sec-WebSocket-Extensions}. The handshake response is kept for {@link #handshakeResponse()}.
   */
  public static RawWebSocket open(int port, String extraHeaders) throws Exception {
    return open(port, extraHeaders, null);
  }

  /** As {@link #open(int, String)}, from this local address (e.g. 127.0.0.2, another loopback client). */
  public static RawWebSocket open(int port, String extraHeaders, InetAddress localAddress) throws Exception {
    Socket socket = new Socket();
    if (localAddress != null) {
      socket.bind(new InetSocketAddress(localAddress, 0));
    }
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
    return openOver(socket, port, extraHeaders);
  }

  /** As {@link #open(int, String)}, over a socket already connected to the hub, e.g. a TLS one. */
  public static RawWebSocket openOver(Socket socket, int port, String extraHeaders) throws Exception {
    socket.setSoTimeout(10_000);
    socket.getOutputStream().write(("GET /ws HTTP/1.1\r\nHost: 127.0.0.1:" + port
        + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n" + extraHeaders + "\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    RawWebSocket raw = new RawWebSocket(socket);
    raw.handshakeResponse = readHandshakeResponse(socket.getInputStream());
    return raw;
  }

  /** The status line and headers of the 101 response. */
  public String handshakeResponse() {
    return handshakeResponse;
  }

  /** Sends one masked frame: {@code firstByte} holds FIN, RSV bits and opcode, as on the wire. */
  public void sendFrame(int firstByte, byte[] payload) throws Exception {
    OutputStream out = socket.getOutputStream();
    out.write(maskedFrame(firstByte, payload));
    out.flush();
  }

  /** The next frame from the hub, skipping nothing (payloads under 64 KiB). */
  public Frame nextFrame() throws Exception {
    InputStream in = socket.getInputStream();
    int firstByte = readByte(in);
    int length = readByte(in) & 0x7f;
    if (length == 126) {
      length = (readByte(in) << 8) | readByte(in);
    }
    return new Frame(firstByte, in.readNBytes(length));
  }

  /** The status of the close frame the hub sends, skipping the frames before it. */
  public int awaitCloseCode() throws Exception {
    while (true) {
      Frame frame = nextFrame();
      if (frame.opcode() == OPCODE_CLOSE) {
        return frame.closeCode();
      }
    }
  }

  private static int readByte(InputStream in) throws Exception {
    int b = in.read();
    if (b < 0) {
      throw new IllegalStateException("connection closed by the hub");
    }
    return b;
  }

  public static RawWebSocket registerFrontend(int port, String name) throws Exception {
    return register(port, "frontend", name);
  }

  public static RawWebSocket register(int port, String role, String name) throws Exception {
    return register(port,
        new JsonObject().put("message_type", "REGISTER_" + role.toUpperCase()).put(role + "_name", name));
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

  private static String readHandshakeResponse(InputStream in) throws Exception {
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
    return head.toString(StandardCharsets.US_ASCII);
  }

  /** Client frames must be masked (RFC 6455 5.3); payloads here stay under 126 bytes. */
  private static byte[] maskedTextFrame(byte[] payload) {
    return maskedFrame(FIN | OPCODE_TEXT, payload);
  }

  /** Payloads up to 64 KiB. */
  private static byte[] maskedFrame(int firstByte, byte[] payload) {
    if (payload.length > 0xffff) {
      throw new IllegalArgumentException("payloads here stay under 64 KiB");
    }
    int header = payload.length > 125 ? 4 : 2;
    byte[] mask = new byte[4];
    ThreadLocalRandom.current().nextBytes(mask);
    byte[] frame = new byte[header + 4 + payload.length];
    frame[0] = (byte) firstByte;
    if (header == 4) {
      frame[1] = (byte) (0x80 | 126);
      frame[2] = (byte) (payload.length >> 8);
      frame[3] = (byte) payload.length;
    } else {
      frame[1] = (byte) (0x80 | payload.length);
    }
    System.arraycopy(mask, 0, frame, header, 4);
    for (int i = 0; i < payload.length; i++) {
      frame[header + 4 + i] = (byte) (payload[i] ^ mask[i % 4]);
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
