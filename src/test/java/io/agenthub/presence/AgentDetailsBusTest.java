package io.agenthub.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agenthub.bus.Addresses;
import io.agenthub.bus.AgentDetailsChanged;
import io.agenthub.bus.AgentMeasure;
import io.agenthub.bus.AnswerSeen;
import io.agenthub.bus.CardUpdate;
import io.agenthub.bus.DetailedAgents;
import io.agenthub.bus.LoadAddresses;
import io.agenthub.bus.LoadMeasures;
import io.agenthub.bus.LoadReport;
import io.agenthub.bus.LoadSample;
import io.agenthub.bus.PongReceived;
import io.agenthub.bus.PresenceChanged;
import io.agenthub.bus.RegisterReply;
import io.agenthub.bus.RegisterRequest;
import io.agenthub.cluster.Membership;
import io.agenthub.config.Setting;
import io.agenthub.protocol.ClientRole;
import io.agenthub.protocol.Fields;
import io.agenthub.support.ManualClock;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Protocol extensions "agent cards" and "live load" in presence alone, on a manual clock: cards kept and published
 * for the gateway (a card change without a status update for contract clients), the reports of every instance summed
 * and graded once per interval, the bridge asked for this instance's measures, an agent's PONG figures reported.
 */
@ExtendWith(VertxExtension.class)
class AgentDetailsBusTest {
  private static final String NODE = "test-node";
  private static final long WAIT_SECONDS = 10;

  private final ManualClock clock = new ManualClock(Instant.parse("2026-12-07T10:00:00Z"));
  /** Every PRESENCE_CHANGED and PRESENCE_DETAILS_CHANGED, in order: {"address", "body"}. */
  private final BlockingQueue<JsonObject> published = new LinkedBlockingQueue<>();
  private final BlockingQueue<LoadSample> samples = new LinkedBlockingQueue<>();
  private final BlockingQueue<LoadReport> reports = new LinkedBlockingQueue<>();
  private volatile LoadMeasures bridgeMeasures = new LoadMeasures(Map.of(), List.of());
  private Vertx vertx;

  @BeforeEach
  void deploy(Vertx vertx) throws Exception {
    this.vertx = vertx;
    for (String address : List.of(Addresses.PRESENCE_CHANGED, LoadAddresses.PRESENCE_DETAILS_CHANGED)) {
      vertx.eventBus().<JsonObject>localConsumer(address,
          msg -> published.add(new JsonObject().put("address", address).put("body", msg.body())));
    }
    vertx.eventBus().<JsonObject>consumer(LoadAddresses.PRESENCE_LOAD_REPORT,
        msg -> reports.add(LoadReport.fromJson(msg.body())));
    vertx.eventBus().<JsonObject>localConsumer(LoadAddresses.BRIDGE_LOAD, msg -> {
      samples.add(LoadSample.fromJson(msg.body()));
      msg.reply(bridgeMeasures.toJson());
    });
    await(vertx.deployVerticle(new PresenceVerticle(Membership.single(NODE), clock), new DeploymentOptions()
        .setConfig(Setting.defaults().put("AGENT_LOAD_INTERVAL", 0.1))));
  }

  @Test
  void aCardGivenAtRegistrationReachesTheGatewayAheadOfTheStatusChangeWhichShowsNoneOfIt() throws Exception {
    String agentId = registerAgent("Translator", card(2));
    AgentDetailsChanged details = AgentDetailsChanged.fromJson(next(LoadAddresses.PRESENCE_DETAILS_CHANGED));
    assertFalse(details.announce(), "the status change that follows announces it");
    JsonObject entry = details.entries().getJsonObject(0);
    assertEquals(agentId, entry.getString(Fields.AGENT_ID));
    assertEquals("available", entry.getString("grade"));
    assertEquals("translate", entry.getJsonObject("card").getJsonArray("skills").getJsonObject(0).getString("id"));
    PresenceChanged change = PresenceChanged.fromJson(next(Addresses.PRESENCE_CHANGED));
    assertEquals(Set.of(Fields.AGENT_ID, Fields.AGENT_NAME, Fields.IS_ONLINE, Fields.LAST_SEEN),
        change.changed().getJsonObject(0).fieldNames(), "the contract's entry only");

    JsonArray listed = DetailedAgents.fromJson(await(vertx.eventBus()
        .<JsonObject>request(LoadAddresses.PRESENCE_DETAILS, new JsonObject())).body()).agents();
    assertEquals(2, listed.getJsonObject(0).getJsonObject("card").getInteger("max_concurrency"));
    assertEquals(0, listed.getJsonObject(0).getJsonObject("load").getInteger("unanswered"));
  }

  @Test
  void aNewCardIsAnnouncedToDetailsClientsAndRaisesNoStatusUpdate() throws Exception {
    String agentId = registerAgent("Translator", card(2));
    next(Addresses.PRESENCE_CHANGED);
    published.clear();
    await(vertx.eventBus().request(LoadAddresses.PRESENCE_CARD, new CardUpdate(agentId, card(8)).toJson()));
    AgentDetailsChanged details = AgentDetailsChanged.fromJson(next(LoadAddresses.PRESENCE_DETAILS_CHANGED));
    assertTrue(details.announce());
    assertEquals(8, details.entries().getJsonObject(0).getJsonObject("card").getInteger("max_concurrency"));

    String sentinel = registerAgent("Sentinel", null);
    PresenceChanged change = PresenceChanged.fromJson(next(Addresses.PRESENCE_CHANGED));
    assertEquals(sentinel, change.changed().getJsonObject(0).getString(Fields.AGENT_ID),
        "the first status change after the card's is the sentinel's: none for the card");
  }

  @Test
  void everyInstancesReportIsSummedAndGradedOncePerInterval() throws Exception {
    String agentId = registerAgent("Translator", card(2));
    LoadSample sample = pollUntil(samples, s -> s.poll().contains(agentId));
    assertEquals(List.of(agentId), sample.poll(), "its own online agents' queues are polled");
    bridgeMeasures = measures(agentId, new AgentMeasure(0, 1, clock.now().toEpochMilli(), null, null, 0, null));
    vertx.eventBus().publish(LoadAddresses.PRESENCE_LOAD_REPORT, new LoadReport("other-node",
        measures(agentId, new AgentMeasure(null, 1, null, null, 80L, 1, null))).toJson());

    JsonObject busy = announcedEntry(agentId, entry -> "busy".equals(entry.getString("grade")));
    assertEquals(2, busy.getJsonObject("load").getInteger("unanswered"), "one question handed here, one there");
    assertEquals(0, busy.getJsonObject("load").getInteger("queue_depth"));
    assertEquals(80L, busy.getJsonObject("load").getLong("latency_ms"));
  }

  @Test
  void messagesThatWaitLongerThanStaleAfterWithoutAnAnswerMakeTheAgentStale() throws Exception {
    String agentId = registerAgent("Slow", null);
    bridgeMeasures = measures(agentId, new AgentMeasure(0, 1, clock.now().toEpochMilli(), null, null, 0, null));
    announcedEntry(agentId, entry -> entry.getJsonObject("load").getInteger("unanswered") == 1);
    clock.advance(Duration.ofSeconds(61));
    JsonObject stale = announcedEntry(agentId, entry -> "stale".equals(entry.getString("grade")));
    assertTrue(stale.getBoolean(Fields.IS_ONLINE), "it still answers pings");
  }

  @Test
  void anAgentsPongFiguresGoInThisInstancesReport() throws Exception {
    String agentId = registerAgent("Reporter", null);
    vertx.eventBus().send(Addresses.PRESENCE_PONG, new PongReceived(agentId, ClientRole.AGENT,
        new JsonObject().put("tasks_in_progress", 3)).toJson());
    LoadReport report = pollUntil(reports, r -> r.nodeId().equals(NODE) && r.measures().agents().containsKey(agentId));
    assertEquals(3, report.measures().agents().get(agentId).reported().getInteger("tasks_in_progress"));
    JsonObject entry = announcedEntry(agentId, e -> e.getJsonObject("load").containsKey("tasks_in_progress"));
    assertEquals(3, entry.getJsonObject("load").getInteger("tasks_in_progress"));
  }

  @Test
  void answersAnotherInstanceCouldNotMatchAreHandedToThisInstancesBridge() throws Exception {
    registerAgent("Answerer", null);
    vertx.eventBus().publish(LoadAddresses.PRESENCE_LOAD_REPORT, new LoadReport("other-node",
        new LoadMeasures(Map.of(), List.of(new AnswerSeen("agent_0000abcd", "m-1")))).toJson());
    LoadSample sample = pollUntil(samples, s -> !s.answeredElsewhere().isEmpty());
    assertEquals(List.of(new AnswerSeen("agent_0000abcd", "m-1")), sample.answeredElsewhere());
  }

  private String registerAgent(String name, JsonObject card) throws Exception {
    return RegisterReply.fromJson(await(vertx.eventBus().<JsonObject>request(Addresses.PRESENCE_REGISTER,
        new RegisterRequest(ClientRole.AGENT, name, NODE, null, false, card).toJson())).body()).clientId();
  }

  /** The entry of the agent in the next announced details change that satisfies {@code wanted}. */
  private JsonObject announcedEntry(String agentId, Predicate<JsonObject> wanted) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    while (System.nanoTime() < deadline) {
      JsonObject next = published.poll(100, TimeUnit.MILLISECONDS);
      if (next == null || !next.getString("address").equals(LoadAddresses.PRESENCE_DETAILS_CHANGED)) {
        continue;
      }
      for (Object entry : AgentDetailsChanged.fromJson(next.getJsonObject("body")).entries()) {
        JsonObject agent = (JsonObject) entry;
        if (agent.getString(Fields.AGENT_ID).equals(agentId) && wanted.test(agent)) {
          return agent;
        }
      }
    }
    throw new AssertionError("no details of " + agentId + " as wanted within " + WAIT_SECONDS + " s");
  }

  /** The body of the next publication on {@code address}; others before it are skipped. */
  private JsonObject next(String address) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    while (System.nanoTime() < deadline) {
      JsonObject next = published.poll(100, TimeUnit.MILLISECONDS);
      if (next != null && next.getString("address").equals(address)) {
        return next.getJsonObject("body");
      }
    }
    throw new AssertionError("nothing published on " + address + " within " + WAIT_SECONDS + " s");
  }

  private static <T> T pollUntil(BlockingQueue<T> queue, Predicate<T> wanted) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    while (System.nanoTime() < deadline) {
      T next = queue.poll(100, TimeUnit.MILLISECONDS);
      if (next != null && wanted.test(next)) {
        return next;
      }
    }
    throw new AssertionError("nothing as wanted within " + WAIT_SECONDS + " s");
  }

  private static LoadMeasures measures(String agentId, AgentMeasure measure) {
    return new LoadMeasures(Map.of(agentId, measure), List.of());
  }

  private static JsonObject card(int maxConcurrency) {
    return new JsonObject().put("skills", new JsonArray().add(new JsonObject().put("id", "translate")
            .put("name", "Translate").put("tags", new JsonArray())))
        .put("defaultInputModes", new JsonArray().add("text/plain"))
        .put("defaultOutputModes", new JsonArray().add("text/plain")).put("max_concurrency", maxConcurrency);
  }

  private static <T> T await(Future<T> future) throws Exception {
    assertNotNull(future);
    return future.toCompletionStage().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
  }
}
