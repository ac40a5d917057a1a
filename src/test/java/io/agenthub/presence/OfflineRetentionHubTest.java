package io.agenthub.presence;

import static io.agenthub.support.Messages.findAgent;
import static io.agenthub.support.Messages.statusShows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.agenthub.support.Await;
import io.agenthub.support.HubExtension;
import io.agenthub.support.Integration;
import io.agenthub.support.WsClient;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Offline agents stay listed, but not beyond MAX_OFFLINE_AGENTS nor longer than OFFLINE_AGENT_RETENTION: the
 * longest-offline ones are forgotten, their ids released (a resume gets a fresh id), and agents whose socket is
 * open stay.
 */
@Integration
class OfflineRetentionHubTest {
  @RegisterExtension
  static final HubExtension HUB = HubExtension.perTest("offline-retention", new JsonObject()
      .put("MAX_OFFLINE_AGENTS", 2).put("REGISTRATION_RATE_LIMIT", 0)
      .put("AGENT_INACTIVITY_TIMEOUT", 1));

  @Test
  void beyondTheCountTheLongestOfflineAgentIsForgottenAndItsIdReleased() throws Exception {
    try (WsClient broker = WsClient.register(HUB.port(), "broker", "Watcher")) {
      List<String> ids = registerAndLeave(broker, "First", "Second", "Third");
      Await.until("the first agent is forgotten", WsClient.TIMEOUT,
          () -> listedIds(broker).equals(Set.of(ids.get(1), ids.get(2))));

      try (WsClient resumed = WsClient.register(HUB.port(), new JsonObject().put("message_type", "REGISTER_AGENT")
          .put("agent_name", "First").put("agent_id", ids.get(0)))) {
        assertNotEquals(ids.get(0), resumed.id(), "a forgotten id is not resumed: the agent gets a fresh one");
        JsonObject status = broker.next(f -> statusShows(f, resumed.id(), true), WsClient.TIMEOUT);
        assertNotNull(findAgent(status.getJsonArray("agents"), ids.get(2)), "the most recent offline agents stay");
      }
    }
  }

  @Test
  void aShorterRetentionAppliesLiveAndAgentsWhoseSocketIsOpenStay() throws Exception {
    try (WsClient broker = WsClient.register(HUB.port(), "broker", "Watcher");
         WsClient online = WsClient.register(HUB.port(), "agent", "Stays")) {
      List<String> ids = registerAndLeave(broker, "Gone", "Also gone");
      assertEquals(Set.of(online.id(), ids.get(0), ids.get(1)), listedIds(broker));

      Path staged = HUB.hub().confDir().resolve("zz-retention.json.staged");
      Files.writeString(staged, new JsonObject().put("OFFLINE_AGENT_RETENTION", 0.5).encode());
      Files.move(staged, HUB.hub().confDir().resolve("zz-retention.json"), StandardCopyOption.ATOMIC_MOVE);
      Await.until("every agent that left is forgotten", Duration.ofSeconds(15),
          () -> listedIds(broker).equals(Set.of(online.id())));
    }
  }

  /** Registers agents one after another, each going offline before the next comes, so their last_seen is ordered. */
  private static List<String> registerAndLeave(WsClient broker, String... names) throws Exception {
    List<String> ids = new ArrayList<>();
    for (String name : names) {
      String id;
      try (WsClient agent = WsClient.register(HUB.port(), "agent", name)) {
        id = agent.id();
        broker.next(f -> statusShows(f, id, true), WsClient.TIMEOUT);
      }
      broker.next(f -> statusShows(f, id, false), WsClient.TIMEOUT);
      ids.add(id);
    }
    return ids;
  }

  private static Set<String> listedIds(WsClient broker) throws Exception {
    broker.send(new JsonObject().put("message_type", "REQUEST_AGENT_STATUS"));
    return broker.next("AGENT_STATUS_UPDATE").getJsonArray("agents").stream().map(JsonObject.class::cast)
        .map(a -> a.getString("agent_id")).collect(Collectors.toSet());
  }
}
