package io.agenthub.bus;

/**
 * The event-bus addresses of the protocol extensions "agent cards" and "live load", with the conventions of
 * {@link Addresses}: {@code agenthub.local.*} each instance serves for itself, {@code agenthub.cluster.*} reaches every
 * instance. An agent's card lives in presence's records; its load is measured by the bridge of each instance, summed
 * by every instance's presence from the reports all instances publish, and graded there.
 */
public final class LoadAddresses {

  /**
   * Node-local request ({@link CardUpdate}) → empty reply once the agent's record carries the new card and the change
   * is replicated; from the gateway holding the agent's socket. Fails with {@link Failures#INTERNAL} when the agent is
   * not one of this instance's.
   */
  public static final String PRESENCE_CARD = "agenthub.local.presence.card";

  /**
   * Node-local request. {@code {}} → {@link DetailedAgents}: every agent as clients that asked for agent details see
   * it, the contract's entry with {@code grade}, {@code load}, and {@code card} and {@code streams} when it has them.
   * For {@code GET /api/agents}, and for the gateway's view of the agents' details when it starts.
   */
  public static final String PRESENCE_DETAILS = "agenthub.local.presence.details";

  /**
   * Node-local publish ({@link AgentDetailsChanged}): the details of these agents changed. Presence publishes it
   * ahead of the {@link Addresses#PRESENCE_CHANGED} of a registration (announce false: that change announces it), and
   * on its own for a new card or, at most once per AGENT_LOAD_INTERVAL, for new grades and load (announce true).
   */
  public static final String PRESENCE_DETAILS_CHANGED = "agenthub.local.presence.details-changed";

  /**
   * Cluster-wide publish ({@link LoadReport}), once per AGENT_LOAD_INTERVAL by every instance's presence: what its
   * bridge measured for every agent it handed messages to, the depth of its own agents' queues, and the figures its
   * own agents reported in their PONGs. Every presence keeps the latest report of each instance and sums them.
   */
  public static final String PRESENCE_LOAD_REPORT = "agenthub.cluster.presence.load-report";

  /**
   * Node-local request ({@link LoadSample}) → {@link LoadMeasures}, from presence once per AGENT_LOAD_INTERVAL: the
   * bridge polls the depth of the queues named (off its own thread), forgets the handed messages other instances saw
   * answered, and reports what it measured since it started.
   */
  public static final String BRIDGE_LOAD = "agenthub.local.bridge.load";

  private LoadAddresses() {
  }
}
