package io.agenthub.gateway;

import io.agenthub.bus.StreamEvent;
import io.agenthub.bus.StreamSnapshot;
import io.agenthub.protocol.ErrorCode;
import io.agenthub.protocol.StreamEndReason;
import io.agenthub.protocol.StreamFrames;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * One socket watching one stream: the chunk it needs next, the live events that came while it caught up, and the
 * chunks merged while its socket was busy. Chunks are written only to a socket that has taken everything written to
 * it; otherwise they wait here, merged into one delta, until it has. Touched only on the gateway's context.
 */
final class StreamViewer {
  private final ClientSession session;
  private final String streamId;
  private long nextSeq;
  private boolean caughtUp;
  private boolean startWritten;
  private List<StreamEvent> heldBack = new ArrayList<>();
  /** Deltas of chunks {@code pendingFrom} to {@code pendingTo}, not yet written; null when there are none. */
  private StringBuilder pending;
  private long pendingFrom;
  private long pendingTo;

  StreamViewer(ClientSession session, String streamId, long fromSeq) {
    this.session = session;
    this.streamId = streamId;
    this.nextSeq = fromSeq;
  }

  ClientSession session() {
    return session;
  }

  String streamId() {
    return streamId;
  }

  long nextSeq() {
    return nextSeq;
  }

  boolean hasCaughtUp() {
    return caughtUp;
  }

  /** A live event that came before the viewer caught up; it is applied after. */
  void holdBack(StreamEvent event) {
    heldBack.add(event);
  }

  /**
   * Writes what was kept from {@code nextSeq} on (the stream's header first, once), as one chunk; returns the live
   * events held back meanwhile, to apply now (those already covered are skipped by their seq).
   */
  List<StreamEvent> caughtUp(StreamSnapshot snapshot) {
    if (!startWritten) {
      session.send(StreamFrames.start(snapshot.header()));
      startWritten = true;
    }
    if (snapshot.nextSeq() > nextSeq && !snapshot.delta().isEmpty()) {
      write(snapshot.fromSeq(), snapshot.nextSeq() - 1, snapshot.delta());
    }
    nextSeq = Math.max(nextSeq, snapshot.nextSeq());
    caughtUp = true;
    List<StreamEvent> early = heldBack;
    heldBack = new ArrayList<>();
    return early;
  }

  /** A live chunk after one this viewer has not got: it catches up again from the one it needs. */
  boolean gapBefore(long seq) {
    return seq > nextSeq;
  }

  void restartCatchUp() {
    caughtUp = false;
    heldBack.clear();
  }

  /** A live chunk: written, merged while the socket is busy, or skipped when the viewer already has it. */
  void chunk(StreamEvent.Appended appended) {
    if (appended.seq() < nextSeq) {
      return;
    }
    write(appended.seq(), appended.seq(), appended.delta());
    nextSeq = appended.seq() + 1;
  }

  /** The socket is free: the merged chunks go as one frame. */
  void flush() {
    if (pending != null) {
      String delta = pending.toString();
      pending = null;
      session.sendEncoded(StreamFrames.chunk(streamId, pendingFrom, pendingTo, delta));
    }
  }

  /** The end goes at once, right behind any chunks still merged here. */
  void end(StreamEvent.Ended ended) {
    flush();
    session.send(endFrame(streamId, ended));
  }

  /** The STREAM_END frame of an ended stream, as its viewers and its agent get it. */
  static JsonObject endFrame(String streamId, StreamEvent.Ended ended) {
    return StreamFrames.end(streamId, StreamEndReason.parse(ended.reason()).orElseThrow(), ended.chunks(),
        ended.errorCode() == null ? null : ErrorCode.valueOf(ended.errorCode()), ended.text());
  }

  private void write(long from, long to, String delta) {
    if (pending == null && !session.hasTextWaiting()) {
      session.sendEncoded(StreamFrames.chunk(streamId, from, to, delta));
      return;
    }
    if (pending == null) {
      pending = new StringBuilder();
      pendingFrom = from;
    }
    pending.append(delta);
    pendingTo = to;
  }
}
