package io.agenthub.companion;

import static io.agenthub.support.Messages.statusShows;
import static io.agenthub.support.Messages.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agenthub.protocol.Queues;
import io.agenthub.support.Await;
import io.agenthub.support.HubExtension;
import io.agenthub.support.Integration;
import io.agenthub.support.TestHub;
import io.agenthub.support.WsClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The newcomer's round trip: frontend → hub → broker_input_queue → reference broker → broker_output_queue → hub →
 * agent_queue_&lt;id&gt; → echo agent → broker_input_queue → broker → hub → the frontend's socket, every hop real;
 * on the real RabbitMQ ({@link CompanionRoundTripOnRabbitMqTest}) and on the hub's embedded broker
 * ({@link CompanionRoundTripOnEmbeddedBrokerTest}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Integration
abstract class CompanionRoundTripTest {
  @RegisterExtension
  static final HubExtension HUB = HubExtension.perClass("roundtrip", new JsonObject());
  private Vertx companions;
  private CompanionSettings settings;
  private BrokerCompanion broker;
  private EchoAgentCompanion echo;

  @BeforeAll
  void startBroker() throws Exception {
    companions = Vertx.vertx();
    settings = new CompanionSettings("ws://127.0.0.1:" + HUB.port() + "/ws", "127.0.0.1", HUB.rabbit().port(),
        "guest", "guest", HUB.rabbit().name());
    broker = TestHub.await(BrokerCompanion.start(companions, settings));
  }

  @AfterEach
  void stopAgent() throws Exception {
    if (echo != null) {
      TestHub.await(echo.stop());
      echo = null;
    }
  }

  @AfterAll
  void stopBroker() throws Exception {
    TestHub.await(broker.stop());
    TestHub.await(companions.close());
  }

  @Test
  void frontendGetsTheEchoAgentsReplyExactlyOnce() throws Exception {
    try (WsClient frontend = WsClient.register(HUB.port(), "frontend", "ChatUI")) {
      startEchoAgentSeenBy(frontend);
      JsonObject question = text("hello agents").put("sender_id", frontend.id()).put("receiver_id", "server");
      frontend.send(question);
      JsonObject reply = frontend.next(isReplyTo(question), WsClient.TIMEOUT);
      assertEquals(echo.agentId(), reply.getString("sender_id"));
      assertEquals(frontend.id(), reply.getString("receiver_id"));
      assertEquals("Echo: hello agents", reply.getString("text_payload"));
      JsonObject sentinel = text("and again").put("sender_id", frontend.id()).put("receiver_id", "server");
      awaitOneBroker();
      frontend.send(sentinel);
      assertTrue(frontend.framesBefore(isReplyTo(sentinel)).stream().noneMatch(isReplyTo(question)),
          "the reply arrives once, before the reply to a question sent after it");
    }
  }

  /**
   * The same message routed twice to the agent (as a hub does after a lost confirm, or two instances with one
   * redelivery) reaches its queue twice with one delivery key: the agent answers once and acknowledges both.
   */
  @Test
  void aMessageThatReachesTheAgentTwiceIsAnsweredOnce() throws Exception {
    try (WsClient frontend = WsClient.register(HUB.port(), "frontend", "Twice")) {
      startEchoAgentSeenBy(frontend);
      JsonObject question = text("only once").put("sender_id", frontend.id()).put("receiver_id", echo.agentId())
          .put("_client_id", frontend.id());
      HUB.rabbit().publish(Queues.BROKER_OUTPUT, question);
      HUB.rabbit().publish(Queues.BROKER_OUTPUT, question);
      JsonObject sentinel = question.copy().put("message_id", "sentinel-" + question.getString("message_id"));
      HUB.rabbit().publish(Queues.BROKER_OUTPUT, sentinel);
      List<JsonObject> answers = frontend.framesBefore(isReplyTo(sentinel)).stream().filter(isReplyTo(question))
          .toList();
      assertEquals(1, answers.size(), "one answer to the message that arrived twice: " + answers);
      assertEquals(1, echo.repeatsNotAnsweredTwice());
      Await.until("both copies were acknowledged", WsClient.TIMEOUT,
          () -> HUB.rabbit().messageCount(Queues.agentQueue(echo.agentId())) == 0
              && (HUB.rabbit().isEmbedded() || HUB.rabbit().unacknowledged(Queues.agentQueue(echo.agentId())) == 0));
    }
  }

  @Test
  void monitoringCopiesShowTheAgentsConversationToOtherFrontends() throws Exception {
    try (WsClient asker = WsClient.register(HUB.port(), "frontend", "Asker");
        WsClient watcher = WsClient.register(HUB.port(), "frontend", "Watcher")) {
      startEchoAgentSeenBy(asker);
      JsonObject question = text("who is there?").put("sender_id", asker.id()).put("receiver_id", "server");
      asker.send(question);
      asker.next(isReplyTo(question), WsClient.TIMEOUT);
      JsonObject copy = watcher.next(isReplyTo(question), WsClient.TIMEOUT);
      assertEquals(echo.agentId(), copy.getString("sender_id"));
      assertTrue(!copy.containsKey("_client_id"), "internal keys are stripped from monitoring copies");
    }
  }

  @Test
  void companionsStopCleanlyAfterTheirHubHasGone() throws Exception {
    TestHub shortLived = TestHub.start(HUB.rabbit(), new JsonObject());
    CompanionSettings toShortLived = settings.withWebsocketUrl("ws://127.0.0.1:" + shortLived.port() + "/ws");
    BrokerCompanion orphanBroker = TestHub.await(BrokerCompanion.start(companions, toShortLived));
    EchoAgentCompanion orphanAgent = TestHub.await(EchoAgentCompanion.start(companions, toShortLived, "Orphan"));
    shortLived.close();
    TestHub.await(orphanAgent.stop());
    TestHub.await(orphanBroker.stop());
  }

  @Test
  void chatCommandPrintsTheReply() throws Exception {
    try (WsClient watcher = WsClient.register(HUB.port(), "frontend", "Watcher")) {
      startEchoAgentSeenBy(watcher);
      ByteArrayOutputStream printed = new ByteArrayOutputStream();
      ChatCommand chat = new ChatCommand(companions, settings, new PrintStream(printed, true, StandardCharsets.UTF_8));
      JsonObject reply = TestHub.await(chat.ask("ping from the shell", 10_000));
      assertEquals("Echo: ping from the shell", reply.getString("text_payload"));
      String output = printed.toString(StandardCharsets.UTF_8);
      assertTrue(output.contains("Registered as frontend web_") && output.contains("Echo: ping from the shell"),
          output);
    }
  }

  @Test
  void messageWithNoAgentOnlineIsAnsweredWithTheBrokersError() throws Exception {
    try (WsClient frontend = WsClient.register(HUB.port(), "frontend", "Lonely")) {
      frontend.next(CompanionRoundTripTest::noAgentOnline, WsClient.TIMEOUT);
      JsonObject question = text("anyone?").put("sender_id", frontend.id()).put("receiver_id", "server");
      frontend.send(question);
      JsonObject error = frontend.next(isErrorFor(question), WsClient.TIMEOUT);
      assertEquals(BrokerRouting.NO_AGENT_TEXT, error.getString("text_payload"));
      assertEquals(broker.brokerId(), error.getString("sender_id"));
      JsonObject sentinel = text("anyone now?").put("sender_id", frontend.id()).put("receiver_id", "server");
      awaitOneBroker();
      frontend.send(sentinel);
      List<JsonObject> repeats = frontend.framesBefore(isErrorFor(sentinel)).stream()
          .filter(f -> "ERROR".equals(f.getString("message_type"))).toList();
      assertTrue(repeats.isEmpty(), "one error, not one per copy, before the error for a message sent after: "
          + repeats);
    }
  }

  void startEchoAgentSeenBy(WsClient frontend) throws Exception {
    echo = TestHub.await(EchoAgentCompanion.start(companions, settings, "Echo"));
    frontend.next(update -> statusShows(update, echo.agentId(), true), WsClient.TIMEOUT);
  }

  /**
   * A sentinel proves something only if it takes the path the message before it took: through this class's broker,
   * not through one that a test stopped and that still consumes.
   */
  private static void awaitOneBroker() throws Exception {
    Await.until("one broker consumes " + Queues.BROKER_INPUT, WsClient.TIMEOUT,
        () -> HUB.rabbit().consumerCount(Queues.BROKER_INPUT) == 1);
  }

  private static boolean noAgentOnline(JsonObject frame) {
    return "AGENT_STATUS_UPDATE".equals(frame.getString("message_type")) && frame.getJsonArray("agents").stream()
        .map(JsonObject.class::cast).noneMatch(agent -> agent.getBoolean("is_online"));
  }

  private static Predicate<JsonObject> isErrorFor(JsonObject question) {
    return frame -> "ERROR".equals(frame.getString("message_type"))
        && question.getString("message_id").equals(frame.getString("in_reply_to_message_id"));
  }

  static Predicate<JsonObject> isReplyTo(JsonObject question) {
    return frame -> "REPLY".equals(frame.getString("message_type"))
        && question.getString("message_id").equals(frame.getString("in_reply_to_message_id"));
  }
}
