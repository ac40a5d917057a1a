package io.agenthub.bridge;

import io.agenthub.metrics.HubMetrics;
import io.agenthub.protocol.Fields;
import io.agenthub.protocol.Queues;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Parks a message the hub cannot deliver in {@code hub_undeliverable}, with its reason and receiver as headers. */
final class DeadLetters {
  private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);

  private final MeterRegistry metrics;
  private final Supplier<AmqpLink> currentLink;

  DeadLetters(MeterRegistry metrics, Supplier<AmqpLink> currentLink) {
    this.metrics = metrics;
    this.currentLink = currentLink;
  }

  /** Completes once RabbitMQ confirmed the dead letter; {@code message} is null when the body is not JSON. */
  Future<Void> park(byte[] body, JsonObject message, String reason) {
    AmqpLink link = currentLink.get();
    Map<String, Object> headers = new HashMap<>();
    headers.put(Queues.REASON_HEADER, reason);
    String receiver = message == null ? null : text(message, Fields.RECEIVER_ID);
    if (receiver != null) {
      headers.put(Queues.RECEIVER_HEADER, receiver);
    }
    Future<Void> parked = link == null || !link.isOpen()
        ? Future.failedFuture("RabbitMQ is not connected")
        : link.publish(Queues.UNDELIVERABLE, body, headers);
    return parked.onSuccess(v -> {
      HubMetrics.deadLettered(metrics, reason.replaceAll("\\S+_[0-9a-f]{8}", "<id>"));
      LOG.warn("Message {} to {} dead-lettered to {}: {}", message == null ? "?" : text(message, Fields.MESSAGE_ID),
          receiver, Queues.UNDELIVERABLE, reason);
    });
  }

  private static String text(JsonObject json, String key) {
    return json.getValue(key) instanceof String s ? s : null;
  }
}
