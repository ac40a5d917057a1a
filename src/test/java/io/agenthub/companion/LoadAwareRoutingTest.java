package io.agenthub.companion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The reference broker's load-aware routing decision (protocol extensions "agent cards" and "live load"): skills,
 * the least loaded capable agent, never a stale one while another is fit, a question sent again once when its agent
 * goes offline, and the error naming a missing skill. Pure: the status updates are given, the time is a counter.
 */
class LoadAwareRoutingTest {
  private static final String BROKER = "broker_00000001";
  private static final String FRONTEND = "web_11111111";
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private final BrokerRouting routing = new BrokerRouting(new Random(3), BrokerRouting.Mode.LOAD, nanos::get);

  @Test
  void aQuestionNamingASkillGoesOnlyToAnAgentThatHasIt() {
    routing.onStatusUpdate(update(true, agent("agent_aaaaaaaa", "available", 0, 0, "translate"),
        agent("agent_bbbbbbbb", "available", 0, 0, "sql"), agent("agent_cccccccc", "available", 0, 0)), BROKER);
    Set<String> chosen = IntStream.range(0, 30)
        .mapToObj(i -> receiverOf(question("q-" + i).put("skill", "sql"))).collect(Collectors.toSet());
    assertEquals(Set.of("agent_bbbbbbbb"), chosen);
  }

  @Test
  void theLeastLoadedCapableAgentIsChosenByQueueDepthThenItsOwnCountThenTheHubsCount() {
    routing.onStatusUpdate(update(true, agent("agent_aaaaaaaa", "available", 3, 0, "t"),
        agent("agent_bbbbbbbb", "available", 0, 5, "t"), agent("agent_cccccccc", "available", 0, 1, "t")), BROKER);
    assertEquals("agent_cccccccc", receiverOf(question("q-1").put("skill", "t")),
        "no queue; none of this broker's questions anywhere; the fewest unanswered as the hub counts them");
    assertEquals("agent_bbbbbbbb", receiverOf(question("q-2").put("skill", "t")),
        "this broker's question now waits at c: b has none of its, whatever the hub's older figure says");
  }

  @Test
  void betweenAgentsEquallyLoadedTheOneThatAnswersFasterIsChosen() {
    routing.onStatusUpdate(update(true, withLatency(agent("agent_aaaaaaaa", "available", 0, 0), 900),
        withLatency(agent("agent_bbbbbbbb", "available", 0, 0), 40)), BROKER);
    assertEquals("agent_bbbbbbbb", receiverOf(question("q-1")));
  }

  @Test
  void theBrokersOwnCountOfQuestionsSpreadsABurstBeforeTheHubsFiguresCatchUp() {
    routing.onStatusUpdate(update(true, agent("agent_aaaaaaaa", "available", 0, 0),
        agent("agent_bbbbbbbb", "available", 0, 0), agent("agent_cccccccc", "available", 0, 0)), BROKER);
    List<String> chosen = IntStream.range(0, 6).mapToObj(i -> receiverOf(question("q-" + i))).toList();
    assertEquals(Set.of("agent_aaaaaaaa", "agent_bbbbbbbb", "agent_cccccccc"), Set.copyOf(chosen.subList(0, 3)));
    assertEquals(Set.copyOf(chosen.subList(0, 3)), Set.copyOf(chosen.subList(3, 6)), "two each");
  }

  @Test
  void anAnswerFreesItsAgentAndTeachesTheBrokerItsLatency() {
    routing.onStatusUpdate(update(true, agent("agent_aaaaaaaa", "available", 0, 0),
        agent("agent_bbbbbbbb", "available", 0, 0)), BROKER);
    String first = receiverOf(question("q-1"));
    String second = receiverOf(question("q-2"));
    assertTrue(!first.equals(second), "one each");
    nanos.addAndGet(5_000_000L);
    routing.route(reply(first, "q-1"), BROKER);
    nanos.addAndGet(500_000_000L);
    routing.route(reply(second, "q-2"), BROKER);
    assertEquals(first, receiverOf(question("q-3")), "both free again: the faster one");
  }

  @Test
  void aStaleAgentIsNeverChosenWhileAnotherIsNotStaleAndIsWhenItIsTheOnlyOne() {
    routing.onStatusUpdate(update(true, agent("agent_aaaaaaaa", "stale", 0, 0, "t"),
        agent("agent_bbbbbbbb", "busy", 9, 9, "t")), BROKER);
    Set<String> chosen = IntStream.range(0, 20).mapToObj(i -> receiverOf(question("q-" + i).put("skill", "t")))
        .collect(Collectors.toSet());
    assertEquals(Set.of("agent_bbbbbbbb"), chosen);
    routing.onStatusUpdate(update(true, agent("agent_aaaaaaaa", "stale", 0, 0, "t")), BROKER);
    assertEquals("agent_aaaaaaaa", receiverOf(question("q-x").put("skill", "t")));
  }

  @Test
  void anAgentAtItsConcurrencyComesAfterOneBelowIts() {
    routing.onStatusUpdate(update(true, agent("agent_aaaaaaaa", "available", 0, 0, "t").put("card",
        card("t").put("max_concurrency", 1)), agent("agent_bbbbbbbb", "available", 0, 3, "t")), BROKER);
    assertEquals("agent_aaaaaaaa", receiverOf(question("q-1").put("skill", "t")), "the fewer unanswered");
    assertEquals("agent_bbbbbbbb", receiverOf(question("q-2").put("skill", "t")), "a is at its one question");
  }

  @Test
  void aQuestionWhoseAgentGoesOfflineBeforeAnsweringIsSentAgainOnceWithItsKey() {
    routing.onStatusUpdate(update(true, agent("agent_aaaaaaaa", "available", 0, 0, "t")), BROKER);
    JsonObject first = routing.route(question("q-1").put("skill", "t"), BROKER);
    assertEquals("q-1", first.getString("idempotency_key"));
    assertEquals(1, first.getInteger("attempt"));

    List<JsonObject> none = routing.onStatusUpdate(update(false,
        agent("agent_bbbbbbbb", "available", 0, 0, "t")), BROKER);
    assertEquals(List.of(), none, "its agent is still online");
    List<JsonObject> again = routing.onStatusUpdate(update(false,
        agent("agent_aaaaaaaa", "offline", 0, 0, "t").put("is_online", false)), BROKER);
    assertEquals(1, again.size());
    JsonObject resent = again.get(0);
    assertEquals("agent_bbbbbbbb", resent.getString("receiver_id"));
    assertEquals("q-1", resent.getString("message_id"));
    assertEquals("q-1", resent.getString("idempotency_key"));
    assertEquals(2, resent.getInteger("attempt"));

    List<JsonObject> notThrice = routing.onStatusUpdate(update(false,
        agent("agent_bbbbbbbb", "offline", 0, 0, "t").put("is_online", false)), BROKER);
    assertEquals(List.of(), notThrice, "once only");
  }

  @Test
  void aQuestionWhoseAgentWentOfflineWithNoOtherCapableAgentIsAnsweredWithTheMissingSkill() {
    routing.onStatusUpdate(update(true, agent("agent_aaaaaaaa", "available", 0, 0, "t")), BROKER);
    routing.route(question("q-1").put("skill", "t"), BROKER);
    List<JsonObject> again = routing.onStatusUpdate(update(true,
        agent("agent_aaaaaaaa", "offline", 0, 0, "t").put("is_online", false)), BROKER);
    assertEquals("SKILL_UNAVAILABLE", again.get(0).getString("error_code"));
    assertEquals(FRONTEND, again.get(0).getString("_client_id"));
  }

  @Test
  void noOnlineAgentWithTheSkillIsAnErrorNamingIt() {
    routing.onStatusUpdate(update(true, agent("agent_aaaaaaaa", "available", 0, 0, "sql")), BROKER);
    JsonObject error = routing.route(question("q-1").put("skill", "translate"), BROKER);
    assertEquals("ERROR", error.getString("message_type"));
    assertEquals("No agent with skill \"translate\" is available.", error.getString("text_payload"));
    assertEquals("SKILL_UNAVAILABLE", error.getString("error_code"));
    assertEquals("translate", error.getString("skill"));
    assertEquals(FRONTEND, error.getString("receiver_id"));
    assertEquals(FRONTEND, error.getString("_client_id"));
    assertEquals("q-1", error.getString("in_reply_to_message_id"));
  }

  @Test
  void randomRoutingIgnoresSkillsAndAddsNothing() {
    BrokerRouting random = new BrokerRouting(new Random(3), BrokerRouting.Mode.RANDOM, nanos::get);
    random.onStatusUpdate(update(true, agent("agent_aaaaaaaa", "available", 0, 0, "sql")), BROKER);
    JsonObject routed = random.route(question("q-1").put("skill", "translate"), BROKER);
    assertEquals("agent_aaaaaaaa", routed.getString("receiver_id"));
    assertTrue(!routed.containsKey("idempotency_key") && !routed.containsKey("attempt"), routed.encode());
  }

  @Test
  void theBrokerCountsQuestionsSentToABusyAgentWhileAnotherWasIdle() {
    BrokerRouting random = new BrokerRouting(new Random(5), BrokerRouting.Mode.RANDOM, nanos::get);
    random.onStatusUpdate(update(true, agent("agent_aaaaaaaa", "available", 0, 0),
        agent("agent_bbbbbbbb", "available", 0, 0)), BROKER);
    String first = random.route(question("q-1"), BROKER).getString("receiver_id");
    String second = random.route(question("q-2"), BROKER).getString("receiver_id");
    assertEquals(new RoutingStats(2, first.equals(second) ? 1 : 0), random.stats());
    random.route(reply(first, "q-1"), BROKER);
    random.route(reply(second, "q-2"), BROKER);
    random.route(question("q-3"), BROKER);
    assertEquals(2 + 1, random.stats().questions());
    assertEquals(first.equals(second) ? 1 : 0, random.stats().queuedBehindBusy(), "both were free again");

    routing.onStatusUpdate(update(true, agent("agent_aaaaaaaa", "available", 0, 0),
        agent("agent_bbbbbbbb", "available", 0, 0)), BROKER);
    IntStream.range(0, 4).forEach(i -> routing.route(question("l-" + i), BROKER));
    assertEquals(new RoutingStats(4, 0), routing.stats(), "load-aware: never behind a busy one while one is idle");
    routing.onStatusUpdate(update(true, agent("agent_aaaaaaaa", "available", 0, 2),
        agent("agent_bbbbbbbb", "available", 0, 2)), BROKER);
    IntStream.range(0, 4).forEach(i -> routing.route(reply(i % 2 == 0 ? "agent_aaaaaaaa" : "agent_bbbbbbbb",
        "l-" + i), BROKER));
    routing.route(question("l-4"), BROKER);
    assertEquals(new RoutingStats(5, 0), routing.stats(), "nor when the hub's figures lag behind the answers");
  }

  @Test
  void repliesAndAnExplicitOnlineReceiverPassThrough() {
    routing.onStatusUpdate(update(true, agent("agent_aaaaaaaa", "available", 0, 0),
        agent("agent_bbbbbbbb", "available", 0, 0)), BROKER);
    JsonObject reply = reply("agent_aaaaaaaa", "q-0");
    assertSame(reply, routing.route(reply, BROKER));
    JsonObject direct = question("q-1").put("receiver_id", "agent_bbbbbbbb");
    assertSame(direct, routing.route(direct, BROKER));
  }

  private String receiverOf(JsonObject message) {
    return routing.route(message, BROKER).getString("receiver_id");
  }

  private JsonObject question(String id) {
    return new JsonObject().put("message_type", "TEXT").put("message_id", id).put("sender_id", FRONTEND)
        .put("_client_id", FRONTEND).put("receiver_id", "server").put("text_payload", "hi");
  }

  private static JsonObject reply(String agentId, String inReplyTo) {
    return new JsonObject().put("message_type", "REPLY").put("message_id", "r-" + inReplyTo)
        .put("sender_id", agentId).put("receiver_id", FRONTEND).put("text_payload", "Echo: hi")
        .put("in_reply_to_message_id", inReplyTo);
  }

  private static JsonObject withLatency(JsonObject agent, long latencyMs) {
    agent.getJsonObject("load").put("latency_ms", latencyMs);
    return agent;
  }

  private static JsonObject card(String... skills) {
    JsonArray list = new JsonArray();
    for (String skill : skills) {
      list.add(new JsonObject().put("id", skill).put("name", skill).put("tags", new JsonArray()));
    }
    return new JsonObject().put("skills", list).put("defaultInputModes", new JsonArray().add("text/plain"))
        .put("defaultOutputModes", new JsonArray().add("text/plain"));
  }

  private static JsonObject agent(String id, String grade, int queueDepth, int unanswered, String... skills) {
    return new JsonObject().put("agent_id", id).put("agent_name", id).put("is_online", !grade.equals("offline"))
        .put("last_seen", "2026-12-07T10:00:00").put("grade", grade)
        .put("load", new JsonObject().put("queue_depth", queueDepth).put("unanswered", unanswered))
        .put("card", card(skills));
  }

  private static JsonObject update(boolean full, JsonObject... agents) {
    return new JsonObject().put("message_type", "AGENT_STATUS_UPDATE").put("agents", new JsonArray(List.of(
        (Object[]) agents))).put("is_full_update", full).put("seq", 1);
  }
}
