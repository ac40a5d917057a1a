package io.agenthub.bridge;

import io.agenthub.bus.Addresses;
import io.agenthub.bus.Failures;
import io.agenthub.clock.HubClock;
import io.agenthub.protocol.ClientRole;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.util.function.Supplier;

/**
 * Writes a frame to one client's socket through its {@link Addresses#client} address, on whichever instance holds
 * it; a frontend or broker that is not connected but may still resume gets it parked in its resume queue instead.
 * Frames are encoded on the bridge's worker, so the gateway's event loop only writes them; a String also crosses the
 * event bus without the deep copy a JsonObject gets.
 */
final class SocketDelivery {
  private final Vertx vertx;
  private final Supplier<BridgeSettings> settings;
  private final ResumeQueues resumeQueues;
  private final HubClock clock;

  SocketDelivery(Vertx vertx, Supplier<BridgeSettings> settings, ResumeQueues resumeQueues, HubClock clock) {
    this.vertx = vertx;
    this.settings = settings;
    this.resumeQueues = resumeQueues;
    this.clock = clock;
  }

  /** Completes once the frame is written; fails with {@link Undeliverable}. */
  Future<Void> write(String clientId, String encodedFrame) {
    return write(clientId, encodedFrame, null);
  }

  /**
   * As {@link #write(String, String)}, for a frame with a {@link DeliveryKey} (nullable): the gateway writes a key
   * only once to a socket and answers a repeat as delivered.
   */
  Future<Void> write(String clientId, String encodedFrame, String key) {
    long sendTimeoutMs = settings.get().deliveryTimeout().toMillis();
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(sendTimeoutMs);
    if (key != null) {
      options.addHeader(Addresses.DELIVERY_KEY_HEADER, key);
    }
    long sentAt = clock.nanoTime();
    return vertx.eventBus().request(Addresses.client(clientId), encodedFrame, options)
        .<Void>mapEmpty()
        .recover(e -> {
          if (discarded(e, sentAt, sendTimeoutMs)) {
            return Future.failedFuture(
                new Undeliverable("receiver " + clientId + " disconnected as the frame arrived", true));
          }
          return Future.failedFuture(new Undeliverable(failure(clientId, e), receiverGone(e)));
        });
  }

  /** Completes with the route taken, "websocket" or "parked"; fails with {@link Undeliverable}. */
  Future<String> writeOrPark(String clientId, String encodedFrame, String key) {
    return write(clientId, encodedFrame, key).map("websocket").recover(e -> {
      if (e instanceof Undeliverable notConnected && notConnected.receiverGone()
          && ClientRole.ofId(clientId).orElse(ClientRole.AGENT) != ClientRole.AGENT) {
        return resumeQueues.parkIfAway(clientId, encodedFrame, key, notConnected).map("parked");
      }
      return Future.failedFuture(e);
    });
  }

  /** No instance holds the client's address, or its socket closed while the frame was being written. */
  private static boolean receiverGone(Throwable e) {
    return e instanceof ReplyException reply && (reply.failureType() == ReplyFailure.NO_HANDLERS
        || reply.failureType() == ReplyFailure.RECIPIENT_FAILURE && reply.failureCode() == Failures.SOCKET_GONE);
  }

  /**
   * Vert.x 5 answers a request that reached a consumer unregistered before its handler ran (the gateway drops the
   * client's address when the socket closes) at once with a TIMEOUT failure ("Discarded the request", see
   * HandlerRegistration.discardMessage), which looks like a timeout but means the frame was certainly not written.
   * A real timeout only comes after the send timeout, so a TIMEOUT well before it is such a discard.
   */
  private boolean discarded(Throwable e, long sentAtNanos, long sendTimeoutMs) {
    long elapsedMs = (clock.nanoTime() - sentAtNanos) / 1_000_000;
    return e instanceof ReplyException reply && reply.failureType() == ReplyFailure.TIMEOUT
        && elapsedMs < sendTimeoutMs / 2;
  }

  private static String failure(String clientId, Throwable e) {
    if (e instanceof ReplyException reply) {
      if (reply.failureType() == ReplyFailure.NO_HANDLERS) {
        return "receiver " + clientId + " is not connected";
      }
      if (reply.failureType() == ReplyFailure.TIMEOUT) {
        return "delivery to " + clientId + " timed out";
      }
    }
    return "delivery to " + clientId + " failed: " + e.getMessage();
  }
}
