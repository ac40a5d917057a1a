package io.agenthub.bridge;

import com.rabbitmq.client.Channel;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * Reads how many messages are ready in queues, as RabbitMQ reports them to a passive declare (the embedded broker
 * answers it too), on a channel of its own: a queue that does not exist closes that channel, which is replaced for the
 * next queue. Blocking; it touches no state of the bridge, so it runs on a worker thread, off the bridge's context.
 */
final class QueueDepthProbe {

  /** Opens a channel on the link's connection. */
  interface ChannelOpener {
    Channel open() throws IOException;
  }

  private QueueDepthProbe() {
  }

  /** Each existing queue's count of ready messages; a queue that does not exist is left out. */
  static Map<String, Integer> readyCounts(ChannelOpener opener, List<String> queues) throws IOException {
    Map<String, Integer> counts = new LinkedHashMap<>();
    Channel channel = opener.open();
    try {
      for (String queue : queues) {
        if (!channel.isOpen()) {
          channel = opener.open();
        }
        try {
          counts.put(queue, channel.queueDeclarePassive(queue).getMessageCount());
        } catch (IOException notFound) {
          // The queue does not exist (yet): nothing waits in it, and the channel is closed by the broker.
        }
      }
    } finally {
      close(channel);
    }
    return counts;
  }

  private static void close(Channel channel) {
    if (channel.isOpen()) {
      try {
        channel.close();
      } catch (IOException | TimeoutException | RuntimeException e) {
        // The connection is going away with the channel.
      }
    }
  }
}
