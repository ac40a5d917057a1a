package io.agenthub.gateway;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * A {@link ClientSocket} without a network: it records what is written to it, and a write stays pending until the
 * test lets the client take it ({@link #take()}) or fails it, as a client that stopped reading leaves it pending.
 * Completions run on the caller's thread, at once.
 */
final class FakeClientSocket implements ClientSocket {
  private final List<String> written = new ArrayList<>();
  private final Deque<Promise<Void>> pending = new ArrayDeque<>();
  private int pings;
  private boolean closed;
  private short closeStatus;
  private String closeReason;

  @Override
  public Future<Void> writeText(String text) {
    written.add(text);
    Promise<Void> taken = Promise.promise();
    pending.addLast(taken);
    return taken.future();
  }

  @Override
  public void writePing() {
    pings++;
  }

  @Override
  public Future<Void> close(short status, String reason) {
    closed = true;
    closeStatus = status;
    closeReason = reason;
    return Future.succeededFuture();
  }

  /** Nothing arrives from this client, so there is nothing to pause. */
  @Override
  public void pause() {
  }

  @Override
  public void resume() {
  }

  @Override
  public boolean isClosed() {
    return closed;
  }

  @Override
  public String remoteHost() {
    return "192.0.2.1";
  }

  @Override
  public String authorization() {
    return null;
  }

  /** The client took the oldest frame still pending: its write completes. */
  void take() {
    pending.removeFirst().complete();
  }

  /** The oldest pending write fails, as when the connection breaks under it. */
  void failOldest() {
    pending.removeFirst().fail("connection reset");
  }

  /** Every text written so far, in order. */
  List<String> written() {
    return List.copyOf(written);
  }

  int pendingWrites() {
    return pending.size();
  }

  int pings() {
    return pings;
  }

  short closeStatus() {
    return closeStatus;
  }

  String closeReason() {
    return closeReason;
  }
}
