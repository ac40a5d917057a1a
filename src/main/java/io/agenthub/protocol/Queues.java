package io.agenthub.protocol;

/**
 * Queue names of the compatibility contract (Part 1 of the wire protocol), plus the hub's own: the dead-letter queue
 * and the resume queues of protocol extension "session resume".
 */
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
   * The hub's key of a message it consumed from {@code broker_output_queue} (a digest of the consumed bytes, the same
   * on every instance), on what it publishes for it: the message in {@code agent_queue_<id>}, so an agent can tell
   * a repeat, a parked frame in a resume queue, and so on to {@code hub_undeliverable}.
   */
  public static final String DELIVERY_KEY_HEADER = "x-hub-delivery-key";
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

}
