package io.agenthub.bridge;

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

  private Queues() {
  }

  /** The queue an agent consumes itself over AMQP. */
  public static String agentQueue(String agentId) {
    return "agent_queue_" + agentId;
  }
}
