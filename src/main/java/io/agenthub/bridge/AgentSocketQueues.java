package io.agenthub.bridge;

import io.agenthub.bus.AgentDeliveryChange;
import io.agenthub.protocol.Queues;
import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Protocol extension "WebSocket delivery": the agents of this instance that take their messages over their socket;
 * their queues are consumed by every link of the bridge, each message handed to the router for the socket.
 * Runs on the bridge's context.
 */
final class AgentSocketQueues {
  private static final Logger LOG = LoggerFactory.getLogger(AgentSocketQueues.class);

  private final Set<String> agents = new LinkedHashSet<>();
  private final Supplier<AmqpLink> currentLink;
  private final IntSupplier prefetch;
  private final OutputRouter router;

  AgentSocketQueues(Supplier<AmqpLink> currentLink, IntSupplier prefetch, OutputRouter router) {
    this.currentLink = currentLink;
    this.prefetch = prefetch;
    this.router = router;
  }

  void onChange(AgentDeliveryChange change) {
    String agentId = change.agentId();
    if (change.websocket() ? !agents.add(agentId) : !agents.remove(agentId)) {
      return;
    }
    AmqpLink link = currentLink.get();
    if (link == null || !link.isOpen()) {
      return;
    }
    if (change.websocket()) {
      consume(link, agentId);
    } else {
      try {
        link.consumer().stopConsuming(Queues.agentQueue(agentId));
      } catch (IOException e) {
        LOG.debug("Stopping the consumer of {} failed: {}", Queues.agentQueue(agentId), e.getMessage());
      }
    }
  }

  /** A new link consumes every agent's queue again. */
  void consumeAll(AmqpLink link) {
    agents.forEach(agentId -> consume(link, agentId));
  }

  /** A failure here means the link is breaking; the next link consumes the queue again. */
  private void consume(AmqpLink link, String agentId) {
    try {
      link.consumer().consume(Queues.agentQueue(agentId), prefetch.getAsInt(),
          delivery -> router.deliverToAgentSocket(delivery, agentId));
      LOG.debug("Consuming {} for WebSocket delivery", Queues.agentQueue(agentId));
    } catch (IOException e) {
      LOG.warn("Could not consume {} for WebSocket delivery: {}", Queues.agentQueue(agentId), e.getMessage());
    }
  }
}
