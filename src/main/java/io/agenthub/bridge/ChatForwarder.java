package io.agenthub.bridge;

import io.agenthub.bus.Addresses;
import io.agenthub.bus.Failures;
import io.agenthub.bus.ForwardRequest;
import io.agenthub.protocol.Queues;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * Serves {@link Addresses#BRIDGE_FORWARD}: a client's chat message goes to {@code broker_input_queue} with a publisher
 * confirm; the reply says whether RabbitMQ took it, and only then the monitoring copy goes out.
 */
final class ChatForwarder {
  private final Supplier<AmqpLink> currentLink;
  private final MonitorCopies copies;
  private final AgentWorkload workload;

  ChatForwarder(Supplier<AmqpLink> currentLink, MonitorCopies copies, AgentWorkload workload) {
    this.currentLink = currentLink;
    this.copies = copies;
    this.workload = workload;
  }

  /**
   * Fails with {@link Failures#NOT_PUBLISHED} when RabbitMQ certainly does not have the message, and with
   * {@link Failures#OUTCOME_UNKNOWN} when it was sent but its confirm was lost or late.
   */
  void forward(Message<JsonObject> request) {
    String message = ForwardRequest.fromJson(request.body()).message();
    AmqpLink link = currentLink.get();
    if (link == null || !link.isOpen()) {
      request.fail(Failures.NOT_PUBLISHED, "RabbitMQ is not connected");
      return;
    }
    link.publish(Queues.BROKER_INPUT, message.getBytes(StandardCharsets.UTF_8)).onComplete(
        confirmed -> {
          request.reply(null);
          copies.ofForwarded(message);
          workload.observeForwarded(message);
        },
        e -> request.fail(e instanceof PublishFailure failure && !failure.certainlyNotPublished()
            ? Failures.OUTCOME_UNKNOWN : Failures.NOT_PUBLISHED, e.getMessage()));
  }
}
