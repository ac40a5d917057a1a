package io.agenthub.bridge;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * Reads one queue oldest first with basic.get, on a channel of its own, so that a queue that does not exist closes
 * only that channel; each message is acknowledged or put back where it was. Blocking, like the {@link AmqpLink} that
 * opened it.
 */
final class QueueReader implements AutoCloseable {

  /** A message taken with basic.get; {@code headers} is empty when it has none. */
  record Fetched(long tag, byte[] body, Map<String, Object> headers) {
  }

  private final Channel channel;
  private final String queue;

  QueueReader(Channel channel, String queue) {
    this.channel = channel;
    this.queue = queue;
  }

  /** The oldest message, unacknowledged; null when the queue is empty or does not exist. */
  Fetched next() throws IOException {
    if (!channel.isOpen()) {
      return null;
    }
    try {
      GetResponse response = channel.basicGet(queue, false);
      if (response == null) {
        return null;
      }
      Map<String, Object> headers = response.getProps().getHeaders();
      return new Fetched(response.getEnvelope().getDeliveryTag(), response.getBody(),
          headers == null ? Map.of() : headers);
    } catch (IOException e) {
      if (isNotFound(e)) {
        return null;
      }
      throw e;
    }
  }

  void ack(long tag) throws IOException {
    channel.basicAck(tag, false);
  }

  void putBack(long tag) throws IOException {
    channel.basicReject(tag, true);
  }

  private static boolean isNotFound(IOException e) {
    return e.getCause() instanceof ShutdownSignalException signal
        && signal.getReason() instanceof AMQP.Channel.Close close && close.getReplyCode() == AMQP.NOT_FOUND;
  }

  @Override
  public void close() {
    if (channel.isOpen()) {
      try {
        channel.close();
      } catch (IOException | TimeoutException | RuntimeException e) {
        // The connection is going away with the channel; RabbitMQ puts back what was not acknowledged.
      }
    }
  }
}
