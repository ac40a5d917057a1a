package io.agenthub.bridge;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Acknowledges deliveries, or returns them to their queue, and counts per link those not yet settled, so that a
 * retired link is closed only once it holds none. Runs on the bridge's context.
 */
final class Settlement {
  private static final Logger LOG = LoggerFactory.getLogger(Settlement.class);

  private final Map<AmqpLink, Integer> inFlight = new HashMap<>();

  void received(AmqpLink.Delivery delivery) {
    inFlight.merge(delivery.link(), 1, Integer::sum);
  }

  /** Deliveries of a link not yet settled. */
  int inFlight(AmqpLink link) {
    return inFlight.getOrDefault(link, 0);
  }

  void ack(AmqpLink.Delivery delivery) {
    settle(delivery, true);
  }

  /** Back to its queue, flagged {@code redelivered}, for whichever consumer RabbitMQ picks. */
  void requeue(AmqpLink.Delivery delivery) {
    settle(delivery, false);
  }

  private void settle(AmqpLink.Delivery delivery, boolean ack) {
    inFlight.computeIfPresent(delivery.link(), (link, count) -> count > 1 ? count - 1 : null);
    try {
      if (ack) {
        delivery.link().consumer().ack(delivery.tag());
      } else {
        delivery.link().consumer().nack(delivery.tag());
      }
    } catch (IOException e) {
      LOG.warn("Settling delivery {} failed; RabbitMQ will redeliver it: {}", delivery.tag(), e.getMessage());
    }
  }
}
