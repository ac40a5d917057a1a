package io.agenthub.presence;

import io.agenthub.protocol.Fields;
import io.vertx.core.json.JsonObject;
import java.time.LocalDateTime;
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
  private record Offline(JsonObject record, LocalDateTime lastSeen) {
  }

  private static final Comparator<Offline> LONGEST_OFFLINE_FIRST = Comparator.comparing(Offline::lastSeen)
      .thenComparing(offline -> offline.record().getString(Fields.AGENT_ID));

  private OfflineRetention() {
  }

  /**
   * The records to forget, longest offline first. Runs at every sweep over every agent, so each last_seen is parsed
   * once and the offline agents are sorted only when some must go.
   */
  static List<JsonObject> toForget(Collection<JsonObject> records, LocalDateTime seenBefore, int maxOffline) {
    List<Offline> offline = new ArrayList<>();
    boolean anyTooOld = false;
    for (JsonObject record : records) {
      if (!record.getBoolean(Fields.IS_ONLINE, false) && !record.getBoolean(AgentRecords.CONNECTED, false)) {
        LocalDateTime lastSeen = LocalDateTime.parse(record.getString(Fields.LAST_SEEN));
        anyTooOld |= lastSeen.isBefore(seenBefore);
        offline.add(new Offline(record, lastSeen));
      }
    }
    int beyondCount = Math.max(0, offline.size() - maxOffline);
    if (beyondCount == 0 && !anyTooOld) {
      return List.of();
    }
    offline.sort(LONGEST_OFFLINE_FIRST);
    List<JsonObject> forget = new ArrayList<>();
    for (int i = 0; i < offline.size() && (i < beyondCount || offline.get(i).lastSeen().isBefore(seenBefore)); i++) {
      forget.add(offline.get(i).record());
    }
    return forget;
  }
}
