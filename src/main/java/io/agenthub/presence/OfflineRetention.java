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
  private static final Comparator<JsonObject> LONGEST_OFFLINE_FIRST = Comparator
      .comparing((JsonObject record) -> LocalDateTime.parse(record.getString(Fields.LAST_SEEN)))
      .thenComparing(record -> record.getString(Fields.AGENT_ID));

  private OfflineRetention() {
  }

  /** The records to forget, longest offline first. */
  static List<JsonObject> toForget(Collection<JsonObject> records, LocalDateTime seenBefore, int maxOffline) {
    List<JsonObject> offline = new ArrayList<>();
    for (JsonObject record : records) {
      if (!record.getBoolean(Fields.IS_ONLINE, false) && !record.getBoolean(PresenceVerticle.CONNECTED, false)) {
        offline.add(record);
      }
    }
    offline.sort(LONGEST_OFFLINE_FIRST);
    int beyondCount = Math.max(0, offline.size() - maxOffline);
    List<JsonObject> forget = new ArrayList<>();
    for (int i = 0; i < offline.size(); i++) {
      JsonObject record = offline.get(i);
      if (i < beyondCount || LocalDateTime.parse(record.getString(Fields.LAST_SEEN)).isBefore(seenBefore)) {
        forget.add(record);
      } else {
        break;
      }
    }
    return forget;
  }
}
