package io.agenthub.bridge;

import io.agenthub.bus.Addresses;
import io.agenthub.bus.MonitorCopy;
import io.agenthub.clock.HubClock;
import io.agenthub.cluster.Membership;
import io.agenthub.protocol.ChatMessages;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Monitoring copies ({@code MONITOR_ALL_TRAFFIC}) for every frontend of the deployment, sent to each member's
 * {@link Addresses#gatewayMonitors} address. The rule for what a copy carries (docs/protocol.md §2): a copy shows the
 * message as it passed the hub, so {@code _client_id} is on a socket only as the hub's own stamp. The copy of a
 * message a client sent is that message exactly as published to {@code broker_input_queue}, stamp included; the copy
 * of a message from {@code broker_output_queue} is exactly what its direct recipient gets, internal keys removed,
 * since there a broker may have kept, changed or dropped them.
 */
final class MonitorCopies {
  private static final Logger LOG = LoggerFactory.getLogger(MonitorCopies.class);

  /** The members whose monitors have the copy, and whether that is every member. */
  record Outcome(Set<String> copiedTo, boolean complete) {
  }

  private record Answer(String nodeId, boolean done) {
  }

  /** How often a member that owes an answer is looked for in the membership, and the pause before a retry. */
  private static final long MEMBERSHIP_CHECK_MS = 100;

  private final Vertx vertx;
  private final Membership membership;
  private final Supplier<BridgeSettings> settings;
  private final HubClock clock;

  MonitorCopies(Vertx vertx, Membership membership, Supplier<BridgeSettings> settings, HubClock clock) {
    this.vertx = vertx;
    this.membership = membership;
    this.settings = settings;
    this.clock = clock;
  }

  /**
   * The copy of a message a client sent, after RabbitMQ confirmed it: not waited for, since the message itself is
   * safe in {@code broker_input_queue} and a copy lost with a dying instance is not worth holding the sender for.
   */
  void ofForwarded(String publishedMessage) {
    if (!settings.get().monitorAllTraffic()) {
      return;
    }
    JsonObject copy = new MonitorCopy(publishedMessage, null).toJson();
    membership.nodeIds().forEach(node -> vertx.eventBus().send(Addresses.gatewayMonitors(node), copy));
  }

  /**
   * The copy of a message consumed from {@code broker_output_queue}, for every member not in {@code alreadyCopied};
   * completes (never fails) once each answered or {@code DELIVERY_TIMEOUT_MS} passed. It carries the message's
   * {@link DeliveryKey}, so a frontend that already got it (from an instance that died before its ack) gets no second.
   * A member that leaves the membership meanwhile, or whose address has no handler (it left), has no frontend to
   * copy to: it counts as done.
   */
  Future<Outcome> ofConsumed(JsonObject message, String key, String except, Set<String> alreadyCopied) {
    if (!settings.get().monitorAllTraffic()) {
      return Future.succeededFuture(new Outcome(alreadyCopied, true));
    }
    JsonObject copy = new MonitorCopy(ChatMessages.forClient(message).encode(), except, key).toJson();
    long deadline = clock.nanoTime() + settings.get().deliveryTimeout().toNanos();
    List<Future<Answer>> answers = new ArrayList<>();
    for (String node : membership.nodeIds()) {
      if (!alreadyCopied.contains(node)) {
        answers.add(copyTo(node, copy, deadline));
      }
    }
    return Future.all(answers).map(all -> {
      Set<String> copiedTo = new HashSet<>(alreadyCopied);
      boolean complete = true;
      for (Future<Answer> answer : answers) {
        if (answer.result().done()) {
          copiedTo.add(answer.result().nodeId());
        } else {
          complete = false;
        }
      }
      return new Outcome(copiedTo, complete);
    });
  }

  /**
   * A request that failed fast (the connection to a member that just died, before the membership dropped it) is
   * tried again shortly, until the member answers, leaves, or the deadline passes. A member killed with the request
   * outstanding never answers; it is done as soon as the membership no longer lists it, so a death holds
   * deliveries only until the cluster noticed it, not for the whole timeout.
   */
  private Future<Answer> copyTo(String node, JsonObject copy, long deadlineNanos) {
    long remainingMs = (deadlineNanos - clock.nanoTime()) / 1_000_000;
    if (remainingMs <= 0) {
      LOG.warn("Monitoring copy for member {} not answered within the delivery timeout", node);
      return Future.succeededFuture(new Answer(node, false));
    }
    Promise<Answer> answer = Promise.promise();
    long watch = vertx.setPeriodic(MEMBERSHIP_CHECK_MS, id -> {
      if (!membership.nodeIds().contains(node)) {
        answer.tryComplete(new Answer(node, true));
      }
    });
    vertx.eventBus().request(Addresses.gatewayMonitors(node), copy, new DeliveryOptions().setSendTimeout(remainingMs))
        .<Answer>map(reply -> new Answer(node, true))
        .recover(e -> {
          if (left(node, e)) {
            return Future.succeededFuture(new Answer(node, true));
          }
          if (e instanceof ReplyException reply && reply.failureType() == ReplyFailure.TIMEOUT) {
            LOG.warn("Monitoring copy for member {} not answered within the delivery timeout", node);
            return Future.succeededFuture(new Answer(node, false));
          }
          LOG.debug("Monitoring copy for member {} failed, trying again: {}", node, e.getMessage());
          return vertx.timer(MEMBERSHIP_CHECK_MS).compose(v -> copyTo(node, copy, deadlineNanos));
        })
        .onSuccess(answer::tryComplete);
    return answer.future().andThen(done -> vertx.cancelTimer(watch));
  }

  private boolean left(String node, Throwable e) {
    return e instanceof ReplyException reply && reply.failureType() == ReplyFailure.NO_HANDLERS
        || !membership.nodeIds().contains(node);
  }
}
