package io.agenthub.companion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BrokerRoutingTest {
  private static final String BROKER = "broker_00000001";
  private BrokerRouting routing;

  @BeforeEach
  void knowTwoOnlineAgentsAndOneOffline() {
    routing = new BrokerRouting(new Random(7), BrokerRouting.Mode.RANDOM, System::nanoTime);
    routing.onStatusUpdate(update(agent("agent_aaaaaaaa", true), agent("agent_bbbbbbbb", true),
        agent("agent_cccccccc", false)), BROKER);
  }

  @Test
  void keepsAnOnlineAgentOtherThanTheSender() {
    JsonObject message = chat("TEXT", "web_11111111", "agent_bbbbbbbb");
    assertSame(message, routing.route(message, BROKER));
  }

  @Test
  void passesFrontendAndBrokerReceiversThrough() {
    JsonObject reply = chat("REPLY", "agent_aaaaaaaa", "web_11111111");
    assertSame(reply, routing.route(reply, BROKER));
    JsonObject toBroker = chat("SYSTEM", "agent_aaaaaaaa", "broker_22222222");
    assertSame(toBroker, routing.route(toBroker, BROKER));
  }

  @Test
  void sendsServerEmptyUnknownAndOfflineReceiversToARandomOnlineAgent() {
    for (String receiver : new String[] {"server", "", "somebody", "agent_cccccccc"}) {
      String chosen = routing.route(chat("TEXT", "web_11111111", receiver), BROKER).getString("receiver_id");
      assertEquals(true, Set.of("agent_aaaaaaaa", "agent_bbbbbbbb").contains(chosen), receiver + " -> " + chosen);
    }
  }

  /**
   * A message the broker consumes twice (its ack lost with its connection) goes to the same agent with the same
   * bytes, so the hub's delivery key and the agent's memory recognise the repeat; different messages spread over
   * the agents.
   */
  @Test
  void sendsTheSameMessageToTheSameAgentEveryTime() {
    Set<String> spread = IntStream.range(0, 20).mapToObj(i -> {
      JsonObject message = chat("TEXT", "web_11111111", "server").put("message_id", "m-" + i);
      String first = routing.route(message.copy(), BROKER).encode();
      assertEquals(first, routing.route(message.copy(), BROKER).encode(), "m-" + i + " routed again");
      return new JsonObject(first).getString("receiver_id");
    }).collect(Collectors.toSet());
    assertEquals(Set.of("agent_aaaaaaaa", "agent_bbbbbbbb"), spread);
  }

  @Test
  void neverSendsAMessageBackToTheAgentThatSentIt() {
    Set<String> chosen = IntStream.range(0, 50)
        .mapToObj(i -> routing.route(chat("TEXT", "agent_aaaaaaaa", "agent_aaaaaaaa"), BROKER).getString("receiver_id"))
        .collect(Collectors.toSet());
    assertEquals(Set.of("agent_bbbbbbbb"), chosen);
  }

  @Test
  void usesTheStampedClientIdAsTheSender() {
    JsonObject message = chat("TEXT", "spoofed", "server").put("_client_id", "agent_bbbbbbbb");
    assertEquals("agent_aaaaaaaa", routing.route(message, BROKER).getString("receiver_id"));
  }

  @Test
  void answersTheSenderWithAnErrorWhenNoOtherAgentIsOnline() {
    routing.onStatusUpdate(update(agent("agent_aaaaaaaa", true), agent("agent_bbbbbbbb", false)), BROKER);
    JsonObject message = chat("TEXT", "agent_aaaaaaaa", "server").put("message_id", "m-1");
    JsonObject error = routing.route(message, BROKER);
    assertEquals("ERROR", error.getString("message_type"));
    assertEquals("agent_aaaaaaaa", error.getString("receiver_id"));
    assertEquals("agent_aaaaaaaa", error.getString("_client_id"));
    assertEquals(BROKER, error.getString("sender_id"));
    assertEquals("m-1", error.getString("in_reply_to_message_id"));
    assertEquals(BrokerRouting.NO_AGENT_TEXT, error.getString("text_payload"));
  }

  @Test
  void passesErrorsThroughUnchanged() {
    JsonObject error = chat("ERROR", "agent_aaaaaaaa", "nobody");
    assertSame(error, routing.route(error, BROKER));
  }

  private static JsonObject chat(String type, String sender, String receiver) {
    return new JsonObject().put("message_type", type).put("sender_id", sender).put("receiver_id", receiver)
        .put("text_payload", "hi");
  }

  private static JsonObject agent(String id, boolean online) {
    return new JsonObject().put("agent_id", id).put("agent_name", id).put("is_online", online);
  }

  private static JsonObject update(JsonObject... agents) {
    return new JsonObject().put("message_type", "AGENT_STATUS_UPDATE").put("agents", new JsonArray(java.util.List.of(
        (Object[]) agents))).put("is_full_update", true);
  }
}
