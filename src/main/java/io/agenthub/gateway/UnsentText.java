package io.agenthub.gateway;

import java.util.ArrayDeque;

/**
 * The text written to one socket that the socket has not yet taken, frame by frame, oldest (the one in
 * transmission) first: what CLIENT_MAX_UNREAD_CHARS is measured on. Past that limit a client has stopped reading,
 * and broadcasts to it would pile up in the hub's memory. What counts is the text waiting behind the frame in
 * transmission, not that frame itself: a client reading it is not behind, however large the hub's own frames (a
 * full status list) are. Touched only on the gateway's context.
 */
final class UnsentText {
  private final ArrayDeque<Integer> frames = new ArrayDeque<>();
  private long chars;

  /**
   * Whether a frame of {@code length} characters may be written: what waits behind the frame in transmission, this
   * frame included, stays within {@code limit}. A frame to a socket with nothing waiting always may, so no frame is
   * ever too large by itself.
   */
  boolean fits(int length, long limit) {
    long waiting = frames.isEmpty() ? 0 : chars - frames.peekFirst();
    return waiting == 0 || waiting + length <= limit;
  }

  void written(int length) {
    chars += length;
    frames.addLast(length);
  }

  /** The socket took the oldest frame (or failed to write it): it no longer waits. */
  void taken() {
    chars -= frames.removeFirst();
  }

  /** Everything not yet taken, the frame in transmission included. */
  long chars() {
    return chars;
  }
}
