package io.agenthub.presence;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Which offline agents presence forgets: every agent ever registered stays listed, as the contract asks, but not
 * forever and not without bound, or a client registering names in a loop would grow every status list (and the
 * memory of every instance) until no frontend could be sent one. An agent is forgotten once it has been offline
 * longer than the retention, and beyond the most recent {@code maxOffline} offline agents the longest-offline ones
 * go first. Agents online, or whose socket is still open, are never forgotten. Pure logic.
 */
final class OfflineRetention {
  private static final Comparator<AgentPresence> LONGEST_OFFLINE_FIRST =
      Comparator.comparing(AgentPresence::lastSeen).thenComparing(AgentPresence::agentId);

  private OfflineRetention() {
  }

  /**
   * The records to forget, longest offline first: those last seen before {@code seenBefore}, and the longest
   * offline beyond {@code maxOffline}. Runs at every sweep over every agent, so the offline agents are sorted only
   * when some must go.
   */
  static List<AgentPresence> toForget(Collection<AgentPresence> records, Instant seenBefore, int maxOffline) {
    List<AgentPresence> offline = new ArrayList<>();
    boolean anyTooOld = false;
    for (AgentPresence record : records) {
      if (!record.onlineOrConnected()) {
        anyTooOld |= record.lastSeen().isBefore(seenBefore);
        offline.add(record);
      }
    }
    int beyondCount = Math.max(0, offline.size() - maxOffline);
    if (beyondCount == 0 && !anyTooOld) {
      return List.of();
    }
    offline.sort(LONGEST_OFFLINE_FIRST);
    List<AgentPresence> forget = new ArrayList<>();
    for (int i = 0; i < offline.size() && (i < beyondCount || offline.get(i).lastSeen().isBefore(seenBefore)); i++) {
      forget.add(offline.get(i));
    }
    return forget;
  }
}
