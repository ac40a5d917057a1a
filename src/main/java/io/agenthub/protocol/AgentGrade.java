package io.agenthub.protocol;

/**
 * Protocol extension "live load": how ready an agent is to take a message, beyond online and offline. The rules are
 * presence's ({@code AgentGrading}); docs/protocol.md states them.
 */
public enum AgentGrade {
  /** Online, below its declared concurrency, its queue not growing, and answering. */
  AVAILABLE,
  /** Online and at its declared concurrency, or its queue is growing: a message sent now waits. */
  BUSY,
  /** It answers pings, but messages have waited for it longer than AGENT_STALE_AFTER without an answer. */
  STALE,
  OFFLINE;

  /** The grade as clients see it: {@code available}, {@code busy}, {@code stale}, {@code offline}. */
  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  public static AgentGrade fromWireName(String name) {
    return valueOf(name.toUpperCase(java.util.Locale.ROOT));
  }
}
