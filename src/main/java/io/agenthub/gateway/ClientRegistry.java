package io.agenthub.gateway;

import io.agenthub.protocol.ClientRole;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/** The sockets of this instance and, once registered, their clients by id. Touched only on the gateway's context. */
final class ClientRegistry {
  private final Set<ClientSession> sessions = new LinkedHashSet<>();
  private final Map<String, ClientSession> registered = new HashMap<>();

  void opened(ClientSession session) {
    sessions.add(session);
  }

  void registered(ClientSession session) {
    registered.put(session.clientId(), session);
  }

  void closed(ClientSession session) {
    sessions.remove(session);
    if (session.hasRegistered()) {
      registered.remove(session.clientId(), session);
    }
  }

  List<ClientSession> sockets() {
    return List.copyOf(sessions);
  }

  void forEachSocket(Consumer<ClientSession> action) {
    sessions.forEach(action);
  }

  int socketCount() {
    return sessions.size();
  }

  /** The session of a client registered on this instance, or null. */
  ClientSession registeredClient(String clientId) {
    return registered.get(clientId);
  }

  Collection<ClientSession> registeredClients() {
    return registered.values();
  }

  /** The registered clients of those roles, except the one named (nullable), in registration order of the map. */
  List<ClientSession> recipients(Collection<ClientRole> roles, String except) {
    List<ClientSession> recipients = new ArrayList<>();
    for (ClientSession session : registered.values()) {
      if (roles.contains(session.role()) && !session.clientId().equals(except)) {
        recipients.add(session);
      }
    }
    return recipients;
  }

  Map<String, Integer> connectionCounts() {
    Map<String, Integer> counts = new HashMap<>();
    counts.put("sockets", sessions.size());
    for (ClientRole role : ClientRole.values()) {
      counts.put(role.connectionType(), 0);
    }
    registered.values().forEach(s -> counts.merge(s.role().connectionType(), 1, Integer::sum));
    return counts;
  }
}
