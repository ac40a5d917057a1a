package io.agenthub.bridge;

import java.util.Map;

/** Queue names of the compatibility contract, plus the hub's own dead-letter queue. */
public final class Queues {
  /** Chat messages from clients, published by the hub, consumed by the broker. */
  public static final String BROKER_INPUT = "broker_input_queue";
  /** Routed messages, published by the broker, consumed by the hub. */
  public static final String BROKER_OUTPUT = "broker_output_queue";
  /** Messages from broker_output_queue the hub could not deliver, with the reason in header {@value #REASON_HEADER}. */
  public static final String UNDELIVERABLE = "hub_undeliverable";
  public static final String REASON_HEADER = "x-hub-reason";
  public static final String RECEIVER_HEADER = "x-hub-receiver";
  /** The {@value #REASON_HEADER} of a parked message that expired in its resume queue. */
  public static final String NOT_RESUMED_REASON = "receiver did not resume within CLIENT_RESUME_WINDOW";
  /**
   * A resume queue is deleted by RabbitMQ after this long unused (no consumer, no basic.get, not redeclared): longer
   * than the largest CLIENT_RESUME_WINDOW, so every message in it has expired to hub_undeliverable before. Fixed,
   * because a queue redeclared with other arguments is refused.
   */
  static final int RESUME_QUEUE_EXPIRES_MS = (3_600 + 600) * 1_000;

  private Queues() {
  }

  /** The queue an agent consumes itself over AMQP. */
  public static String agentQueue(String agentId) {
    return "agent_queue_" + agentId;
  }

  /**
   * Protocol extension "session resume": where messages for a frontend or broker that went away wait for it, in
   * order, each with a per-message TTL of the time left in its window.
   */
  public static String resumeQueue(String clientId) {
    return "hub_resume_" + clientId;
  }

  /** Expired messages are dead-lettered to hub_undeliverable, keeping the headers they were parked with. */
  static Map<String, Object> resumeQueueArguments() {
    return Map.of("x-expires", RESUME_QUEUE_EXPIRES_MS,
        "x-dead-letter-exchange", "",
        "x-dead-letter-routing-key", UNDELIVERABLE);
  }
}
