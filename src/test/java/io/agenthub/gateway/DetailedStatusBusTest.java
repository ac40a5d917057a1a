package io.agenthub.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agenthub.bus.Addresses;
import io.agenthub.bus.AgentDetailsChanged;
import io.agenthub.bus.CardUpdate;
import io.agenthub.bus.LoadAddresses;
import io.agenthub.bus.PongReceived;
import io.agenthub.bus.PresenceChanged;
import io.agenthub.bus.RegisterRequest;
import io.agenthub.protocol.AgentCard;
import io.agenthub.protocol.AgentDetails;
import io.agenthub.protocol.AgentGrade;
import io.agenthub.protocol.LoadFigures;
import io.agenthub.protocol.ReportedLoad;
import io.agenthub.support.GatewayFixture;
import io.agenthub.support.WsClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Protocol extensions "agent cards" and "live load" in the gateway alone ({@link GatewayFixture}): a client that
 * registered with {@code "status_updates":"details"} gets entries with their details and the load updates presence
 * announces, a contract client exactly the contract's frames; cards and PONG figures are checked before presence
 * hears of them.
 */
class DetailedStatusBusTest {
  private static final Set<String> CONTRACT_ENTRY = Set.of("agent_id", "agent_name", "is_online", "last_seen");
  private static final String AGENT = "agent_0000abcd";
  private static final JsonObject CONTRACT = new JsonObject().put("agent_id", AGENT).put("agent_name", "Translator")
      .put("is_online", true).put("last_seen", "2026-12-07T10:00:00");

  @RegisterExtension
  static final GatewayFixture GATEWAY = GatewayFixture.perTest(new JsonObject().put("AGENT_CARD_MAX_BYTES", 1024));

  @Test
  void aDetailsClientSeesEachAgentsDetailsAndAContractClientSeesTheContractsEntry() throws Exception {
    try (WsClient details = registerWatcher("details");
         WsClient contract = WsClient.register(GATEWAY.port(), "frontend", "Classic")) {
      details.next("AGENT_STATUS_UPDATE");
      contract.next("AGENT_STATUS_UPDATE");
      publish(LoadAddresses.PRESENCE_DETAILS_CHANGED, new AgentDetailsChanged(new JsonArray()
          .add(detailsOf(AgentGrade.AVAILABLE, 0).entry(CONTRACT)), false).toJson());
      publish(Addresses.PRESENCE_CHANGED, new PresenceChanged(new JsonArray().add(CONTRACT),
          new JsonArray().add(CONTRACT)).toJson());

      JsonObject delta = details.next("AGENT_STATUS_UPDATE");
      assertFalse(delta.getBoolean("is_full_update"));
      JsonObject entry = delta.getJsonArray("agents").getJsonObject(0);
      assertEquals("available", entry.getString("grade"));
      assertEquals("translate", entry.getJsonObject("card").getJsonArray("skills").getJsonObject(0).getString("id"));
      JsonObject full = contract.next("AGENT_STATUS_UPDATE");
      assertFalse(full.containsKey("seq"));
      assertEquals(CONTRACT_ENTRY, full.getJsonArray("agents").getJsonObject(0).fieldNames());
    }
  }

  @Test
  void announcedLoadGoesToDetailsClientsOnlyAsANumberedDelta() throws Exception {
    try (WsClient details = registerWatcher("details");
         WsClient delta = registerWatcher("delta");
         WsClient contract = WsClient.register(GATEWAY.port(), "frontend", "Classic")) {
      long firstSeq = details.next("AGENT_STATUS_UPDATE").getLong("seq");
      delta.next("AGENT_STATUS_UPDATE");
      contract.next("AGENT_STATUS_UPDATE");
      publish(LoadAddresses.PRESENCE_DETAILS_CHANGED, new AgentDetailsChanged(new JsonArray()
          .add(detailsOf(AgentGrade.BUSY, 2).entry(CONTRACT)), true).toJson());

      JsonObject load = details.next("AGENT_STATUS_UPDATE");
      assertEquals(firstSeq + 1, load.getLong("seq"));
      assertEquals("busy", load.getJsonArray("agents").getJsonObject(0).getString("grade"));
      assertEquals(2, load.getJsonArray("agents").getJsonObject(0).getJsonObject("load").getInteger("unanswered"));

      JsonObject sentinel = CONTRACT.copy().put("agent_name", "Sentinel").put("agent_id", "agent_0000beef");
      publish(Addresses.PRESENCE_CHANGED, new PresenceChanged(new JsonArray().add(sentinel),
          new JsonArray().add(sentinel)).toJson());
      for (WsClient other : List.of(delta, contract)) {
        JsonObject next = other.next("AGENT_STATUS_UPDATE");
        assertEquals("agent_0000beef", next.getJsonArray("agents").getJsonObject(0).getString("agent_id"),
            "no load update before the sentinel's change");
        assertEquals(CONTRACT_ENTRY, next.getJsonArray("agents").getJsonObject(0).fieldNames());
      }
    }
  }

  @Test
  void aDetailsClientsFirstListShowsTheDetailsAsTheyAreNowThoughTheListIsUnchanged() throws Exception {
    GATEWAY.agents(new JsonArray().add(CONTRACT));
    publish(LoadAddresses.PRESENCE_DETAILS_CHANGED, new AgentDetailsChanged(new JsonArray()
        .add(detailsOf(AgentGrade.AVAILABLE, 0).entry(CONTRACT)), true).toJson());
    try (WsClient early = registerWatcher("details")) {
      assertEquals("available", early.next("AGENT_STATUS_UPDATE").getJsonArray("agents").getJsonObject(0)
          .getString("grade"));
      publish(LoadAddresses.PRESENCE_DETAILS_CHANGED, new AgentDetailsChanged(new JsonArray()
          .add(detailsOf(AgentGrade.STALE, 3).entry(CONTRACT)), true).toJson());
      assertEquals("stale", early.next("AGENT_STATUS_UPDATE").getJsonArray("agents").getJsonObject(0)
          .getString("grade"));
    }
    try (WsClient late = registerWatcher("details")) {
      JsonObject first = late.next("AGENT_STATUS_UPDATE");
      assertTrue(first.getBoolean("is_full_update"));
      assertEquals("stale", first.getJsonArray("agents").getJsonObject(0).getString("grade"),
          "not the details of the first registration's list");
    }
  }

  @Test
  void aCardIsCheckedAtRegistrationAndPresenceGetsItsNormalForm() throws Exception {
    try (WsClient refused = WsClient.connect(GATEWAY.port())) {
      refused.sendUnchecked(registration().put("card", new JsonObject().put("skills", "translate")));
      JsonObject error = refused.next("ERROR");
      assertEquals("INVALID_CARD", error.getString("error_code"));
      assertEquals("card.skills must be a JSON array", error.getString("text_payload"));
      refused.sendUnchecked(registration().put("card", new JsonObject().put("description", "x".repeat(2_000))));
      assertEquals("CARD_TOO_LARGE", refused.next("ERROR").getString("error_code"));
    }
    try (WsClient agent = WsClient.register(GATEWAY.port(), registration().put("card", new JsonObject()
        .put("description", " Translates ").put("skills", new JsonArray().add(new JsonObject().put("id", "t")
            .put("name", "T")))))) {
      RegisterRequest request = GATEWAY.registrations().get(GATEWAY.registrations().size() - 1);
      AgentCard card = AgentCard.fromJson(request.card());
      assertEquals("Translates", card.description());
      assertEquals(List.of("text/plain"), card.outputModes());
    }
    try (WsClient frontend = WsClient.register(GATEWAY.port(), new JsonObject().put("message_type",
        "REGISTER_FRONTEND").put("frontend_name", "Carded").put("card", "not checked for a frontend"))) {
      assertNull(GATEWAY.registrations().get(GATEWAY.registrations().size() - 1).card());
    }
  }

  @Test
  void anAgentReplacesItsCardAndOnlyAnAgentMay() throws Exception {
    BlockingQueue<CardUpdate> updates = new LinkedBlockingQueue<>();
    GATEWAY.vertx().eventBus().<JsonObject>localConsumer(LoadAddresses.PRESENCE_CARD, msg -> {
      updates.add(CardUpdate.fromJson(msg.body()));
      msg.reply(null);
    });
    try (WsClient agent = WsClient.register(GATEWAY.port(), registration());
         WsClient frontend = WsClient.register(GATEWAY.port(), "frontend", "Meddler")) {
      agent.send(new JsonObject().put("message_type", "AGENT_CARD_UPDATE").put("card", new JsonObject()
          .put("max_concurrency", 8)));
      JsonObject updated = agent.next("AGENT_CARD_UPDATED");
      assertEquals(agent.id(), updated.getString("agent_id"));
      assertEquals(8, updated.getJsonObject("card").getInteger("max_concurrency"));
      assertEquals(agent.id(), updates.poll(10, TimeUnit.SECONDS).agentId());

      agent.sendUnchecked(new JsonObject().put("message_type", "AGENT_CARD_UPDATE"));
      assertEquals("MISSING_FIELD", agent.next("ERROR").getString("error_code"));
      agent.sendUnchecked(new JsonObject().put("message_type", "AGENT_CARD_UPDATE").put("card", new JsonObject()
          .put("max_concurrency", 0)));
      assertEquals("INVALID_CARD", agent.next("ERROR").getString("error_code"));
      frontend.sendUnchecked(new JsonObject().put("message_type", "AGENT_CARD_UPDATE").put("card", new JsonObject()));
      assertEquals("UNSUPPORTED_MESSAGE_TYPE", frontend.next("ERROR").getString("error_code"));
      assertNull(updates.poll(200, TimeUnit.MILLISECONDS), "no refused card reached presence");
    }
  }

  @Test
  void aPongsFiguresAreCheckedAndThePongCountsEitherWay() throws Exception {
    BlockingQueue<PongReceived> pongs = new LinkedBlockingQueue<>();
    GATEWAY.vertx().eventBus().<JsonObject>localConsumer(Addresses.PRESENCE_PONG,
        msg -> pongs.add(PongReceived.fromJson(msg.body())));
    try (WsClient agent = WsClient.register(GATEWAY.port(), registration())) {
      agent.send(new JsonObject().put("message_type", "PONG").put("load", new JsonObject()
          .put("tasks_in_progress", 3)));
      assertEquals(new JsonObject().put("tasks_in_progress", 3), pongs.poll(10, TimeUnit.SECONDS).load());
      agent.sendUnchecked(new JsonObject().put("message_type", "PONG").put("load", new JsonObject()
          .put("tasks_in_progress", -1)));
      JsonObject error = agent.next("ERROR");
      assertEquals("INVALID_LOAD", error.getString("error_code"));
      assertTrue(error.getString("text_payload").startsWith("load.tasks_in_progress"));
      PongReceived stillCounted = pongs.poll(10, TimeUnit.SECONDS);
      assertEquals(agent.id(), stillCounted.clientId());
      assertNull(stillCounted.load());
      agent.send(new JsonObject().put("message_type", "PONG").put("agent_id", agent.id()));
      assertNull(pongs.poll(10, TimeUnit.SECONDS).load(), "a seed agent's PONG carries no figures");
    }
  }

  private static WsClient registerWatcher(String statusUpdates) throws Exception {
    return WsClient.register(GATEWAY.port(), new JsonObject().put("message_type", "REGISTER_FRONTEND")
        .put("frontend_name", "Watcher-" + statusUpdates).put("status_updates", statusUpdates));
  }

  private static JsonObject registration() {
    return new JsonObject().put("message_type", "REGISTER_AGENT").put("agent_name", "Translator");
  }

  private static AgentDetails detailsOf(AgentGrade grade, int unanswered) {
    AgentCard card = new AgentCard("Translates", null, List.of(new AgentCard.Skill("translate", "Translate", null,
        List.of())), List.of("text/plain"), List.of("text/plain"), 2);
    return new AgentDetails(card, false, grade, new LoadFigures(0, unanswered, null, new ReportedLoad(1, null)));
  }

  private static void publish(String address, JsonObject body) {
    GATEWAY.vertx().eventBus().publish(address, body);
  }
}
