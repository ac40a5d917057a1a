package io.agenthub.gateway;

import io.agenthub.protocol.Utf8Validator;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Joins the data frames of one socket into messages and enforces the transport rules of RFC 6455 that Vert.x leaves
 * out: the text of a message must be well-formed UTF-8, checked fragment by fragment so that a sequence split across
 * fragments is checked whole and a bad one is refused at the fragment that breaks it (close 1007, §8.1); a message
 * larger than the transport limit is refused as soon as it grows past it (close 1009). Frame order, masking,
 * reserved bits and control frames are checked by Netty's frame decoder before a frame gets here.
 */
final class MessageAssembler {
  static final short CLOSE_INVALID_PAYLOAD = 1007;
  static final short CLOSE_MESSAGE_TOO_BIG = 1009;

  /** Told why a socket must be closed, with the close status and reason to send. */
  interface Refusal {
    void close(short status, String reason);
  }

  private enum Kind { NONE, TEXT, BINARY, REFUSED }

  private final int maxMessageBytes;
  private final Consumer<String> onText;
  private final Runnable onBinary;
  private final Refusal onRefused;
  private Kind kind = Kind.NONE;
  private Buffer fragments;
  private long bytes;
  private Utf8Validator utf8;

  /** The callbacks run on the socket's context, one message at a time, in the order the messages arrived. */
  MessageAssembler(int maxMessageBytes, Consumer<String> onText, Runnable onBinary, Refusal onRefused) {
    this.maxMessageBytes = maxMessageBytes;
    this.onText = onText;
    this.onBinary = onBinary;
    this.onRefused = onRefused;
  }

  void accept(WebSocketFrame frame) {
    if (kind == Kind.REFUSED) {
      return;
    }
    if (frame.isText()) {
      start(Kind.TEXT);
    } else if (frame.isBinary()) {
      start(Kind.BINARY);
    } else if (!frame.isContinuation() || kind == Kind.NONE) {
      return;
    }
    Buffer payload = frame.binaryData();
    bytes += payload.length();
    if (bytes > maxMessageBytes) {
      refuse(CLOSE_MESSAGE_TOO_BIG, "Message Too Big");
      return;
    }
    if (kind == Kind.TEXT && !appendText(payload, frame.isFinal())) {
      refuse(CLOSE_INVALID_PAYLOAD, "Invalid UTF-8 in text message");
      return;
    }
    if (frame.isFinal()) {
      finish();
    }
  }

  private void start(Kind next) {
    kind = next;
    bytes = 0;
    fragments = next == Kind.TEXT ? Buffer.buffer() : null;
    utf8 = next == Kind.TEXT ? new Utf8Validator() : null;
  }

  private boolean appendText(Buffer payload, boolean last) {
    byte[] chunk = payload.getBytes();
    if (!utf8.accept(chunk, 0, chunk.length) || (last && !utf8.isComplete())) {
      return false;
    }
    fragments.appendBytes(chunk);
    return true;
  }

  private void finish() {
    Kind finished = kind;
    Buffer text = fragments;
    start(Kind.NONE);
    if (finished == Kind.TEXT) {
      onText.accept(text.toString(StandardCharsets.UTF_8));
    } else {
      onBinary.run();
    }
  }

  private void refuse(short status, String reason) {
    kind = Kind.REFUSED;
    fragments = null;
    onRefused.close(status, reason);
  }
}
