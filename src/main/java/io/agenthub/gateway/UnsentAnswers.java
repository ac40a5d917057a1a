package io.agenthub.gateway;

import io.agenthub.bus.Addresses;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Protocol extension "session resume": the hub's own answer to a chat message (FORWARD_FAILED,
 * FORWARD_OUTCOME_UNKNOWN) whose sender's socket closed before the answer could be written. It goes to wherever the
 * client is by now; while it is away the answer waits here, not in its resume queue, because an unreachable RabbitMQ
 * is the usual reason for the answer. It is written when the client resumes on this instance, right after its
 * registration response, or dropped when its resume window ends. Touched only on the gateway's context.
 */
final class UnsentAnswers {
  private static final Logger LOG = LoggerFactory.getLogger(UnsentAnswers.class);
  /** Answers kept per client at most: a client away for its whole window sends nothing more meanwhile. */
  private static final int MAX_PER_CLIENT = 256;

  private record Kept(List<String> frames, long expiryTimer) {
  }

  private final Vertx vertx;
  private final Supplier<GatewaySettings> settings;
  private final Map<String, Kept> kept = new HashMap<>();

  UnsentAnswers(Vertx vertx, Supplier<GatewaySettings> settings) {
    this.vertx = vertx;
    this.settings = settings;
  }

  /** To the client's socket wherever it registered again; kept if it has not yet. */
  void deliverOrKeep(String clientId, String frame) {
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(settings.get().deliveryTimeout().toMillis());
    vertx.eventBus().request(Addresses.client(clientId), frame, options)
        .onFailure(notThere -> keep(clientId, frame));
  }

  private void keep(String clientId, String frame) {
    Kept forClient = kept.computeIfAbsent(clientId, id -> new Kept(new ArrayList<>(),
        vertx.setTimer(Math.max(1, settings.get().clientResumeWindow().toMillis()), expired -> expire(id))));
    if (forClient.frames().size() < MAX_PER_CLIENT) {
      forClient.frames().add(frame);
    } else {
      LOG.warn("Answer for {} dropped: {} answers already wait for it to resume", clientId, MAX_PER_CLIENT);
    }
  }

  private void expire(String clientId) {
    Kept expired = kept.remove(clientId);
    if (expired != null) {
      LOG.info("{} answers for {} dropped: it did not resume within CLIENT_RESUME_WINDOW", expired.frames().size(),
          clientId);
    }
  }

  /** What waits for a client that just resumed its session here, oldest first; nothing waits for it afterwards. */
  List<String> takeFor(String clientId) {
    Kept forClient = kept.remove(clientId);
    if (forClient == null) {
      return List.of();
    }
    vertx.cancelTimer(forClient.expiryTimer());
    return forClient.frames();
  }
}
