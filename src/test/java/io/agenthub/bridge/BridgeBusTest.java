package io.agenthub.bridge;

import static io.agenthub.support.Messages.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agenthub.bus.Addresses;
import io.agenthub.bus.AgentList;
import io.agenthub.bus.AgentLookup;
import io.agenthub.bus.AwayQuery;
import io.agenthub.bus.AwayStatus;
import io.agenthub.bus.BridgeStatus;
import io.agenthub.bus.ForwardRequest;
import io.agenthub.bus.MonitorCopy;
import io.agenthub.clock.HubClock;
import io.agenthub.cluster.Membership;
import io.agenthub.config.CommentedJsonProcessor;
import io.agenthub.config.HubConfig;
import io.agenthub.metrics.HubMetrics;
import io.agenthub.protocol.Queues;
import io.agenthub.support.Await;
import io.agenthub.support.Integration;
import io.agenthub.support.RabbitVhost;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The bridge alone over the event bus, on a RabbitMQ vhost of its own: presence and the gateway are stub consumers
 * of their addresses, so each test sees exactly what the bridge asks and publishes.
 */
@ExtendWith(VertxExtension.class)
@Integration
class BridgeBusTest {
  private static final String NODE = "bus-node";
  private static final String CLIENT = "web_0000000c";
  /** A frontend presence reports as away, so a frame for it that finds no socket waits in its resume queue. */
  private static final String AWAY_CLIENT = "web_000000aa";
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  /**
   * How long a monitoring copy may stay unanswered: short, so the test of a timeout is quick, and longer than a test
   * needs to look at RabbitMQ's counters (rabbitmqctl) while it holds a copy.
   */
  private static final int DELIVERY_TIMEOUT_MS = 4_000;

  private static RabbitVhost rabbit;
  private static Vertx vertx;
  private static final BlockingQueue<String> clientFrames = new LinkedBlockingQueue<>();
  private static final BlockingQueue<Message<JsonObject>> copies = new LinkedBlockingQueue<>();
  /** This node, and another member while a test wants one. */
  private static final Set<String> members = ConcurrentHashMap.newKeySet();
  /** While false the stub monitors hold each copy unanswered, as a member busy or dying would. */
  private static volatile boolean monitorsAnswer = true;

  @BeforeAll
  static void deployTheBridgeAlone(Vertx shared, VertxTestContext context) throws Exception {
    vertx = shared;
    rabbit = RabbitVhost.create("bridge-bus");
    stubPresenceAndGateway();
    JsonObject config = HubConfig.parse(CommentedJsonProcessor.parse(Files.readString(Path.of("conf/hub.json")))
        .mergeIn(rabbit.hubSettings()).put("DELIVERY_TIMEOUT_MS", DELIVERY_TIMEOUT_MS)).toJson();
    members.add(NODE);
    Membership membership = new Membership() {
      @Override
      public String localNodeId() {
        return NODE;
      }

      @Override
      public Set<String> nodeIds() {
        return Set.copyOf(members);
      }

      @Override
      public void onMemberLeft(Consumer<String> listener) {
        // The bridge reads nodeIds() only: a member leaves these tests by being removed from members.
      }
    };
    vertx.deployVerticle(new RabbitBridgeVerticle(membership, false, HubClock.SYSTEM),
            new DeploymentOptions().setConfig(config).setThreadingModel(ThreadingModel.WORKER))
        .onComplete(context.succeedingThenComplete());
  }

  private static void stubPresenceAndGateway() {
    vertx.eventBus().<JsonObject>localConsumer(Addresses.PRESENCE_AGENTS,
        msg -> msg.reply(new AgentList(new JsonArray()).toJson()));
    vertx.eventBus().<JsonObject>localConsumer(Addresses.PRESENCE_AGENT,
        msg -> msg.reply(new AgentLookup(false, null).toJson()));
    vertx.eventBus().<JsonObject>localConsumer(Addresses.PRESENCE_AWAY, msg -> msg.reply(
        (AwayQuery.fromJson(msg.body()).clientId().equals(AWAY_CLIENT)
            ? new AwayStatus(true, System.currentTimeMillis() + 60_000) : new AwayStatus(false, 0)).toJson()));
    vertx.eventBus().<String>consumer(Addresses.client(CLIENT), msg -> {
      clientFrames.add(msg.body());
      msg.reply(null);
    });
    vertx.eventBus().<JsonObject>consumer(Addresses.gatewayMonitors(NODE), msg -> {
      // Decided before the test can see the copy: a test that takes it and then lets monitors answer again must not
      // have this one answered as well.
      if (monitorsAnswer) {
        msg.reply(null);
      }
      copies.add(msg);
    });
  }

  @AfterEach
  void answerAgain() {
    members.retainAll(Set.of(NODE));
    monitorsAnswer = true;
    clientFrames.clear();
    copies.clear();
  }

  @AfterAll
  static void dropTheVhost() throws Exception {
    rabbit.close();
  }

  @Test
  void forwardPublishesToBrokerInputRepliesAfterTheConfirmThenCopiesItAsPublished(VertxTestContext context)
      throws Exception {
    String message = text("forwarded").put("sender_id", CLIENT).put("_client_id", CLIENT)
        .put("_connection_type", "frontend").encode();
    vertx.eventBus().request(Addresses.BRIDGE_FORWARD, new ForwardRequest(message).toJson())
        .onComplete(context.succeeding(reply -> context.verify(() -> {
          assertNull(reply.body(), "the reply is empty");
          context.completeNow();
        })));
    assertTrue(context.awaitCompletion(TIMEOUT.toSeconds(), TimeUnit.SECONDS), "BRIDGE_FORWARD replied");

    assertEquals(new JsonObject(message), rabbit.takeJson(Queues.BROKER_INPUT, TIMEOUT));
    MonitorCopy copy = MonitorCopy.fromJson(nextCopy().body());
    assertEquals(message, copy.frame(), "the copy of a forwarded message is the message as published, _client_id in");
    assertNull(copy.except(), "the sender gets the copy of its own message too");
  }

  @Test
  void statusRepliesWithTheConnectionAndItsTarget(VertxTestContext context) {
    vertx.eventBus().<JsonObject>request(Addresses.BRIDGE_STATUS, new JsonObject())
        .onComplete(context.succeeding(reply -> context.verify(() -> {
          BridgeStatus status = BridgeStatus.fromJson(reply.body());
          assertEquals(new BridgeStatus(true, "127.0.0.1:5672/" + rabbit.name(), "external", 0), status);
          assertEquals(status.toJson().fieldNames(), reply.body().fieldNames(), "no other keys");
          context.completeNow();
        })));
  }

  @Test
  void aMessageForAClientGoesToItsAddressAndItsCopyToTheMonitorsExceptThatClient() throws Exception {
    JsonObject routed = text("for the client").put("sender_id", "agent_00000001").put("receiver_id", CLIENT)
        .put("_client_id", "web_00000002");
    rabbit.publish(Queues.BROKER_OUTPUT, routed);

    JsonObject delivered = new JsonObject(clientFrames.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
    assertEquals(routed.getString("message_id"), delivered.getString("message_id"));
    assertFalse(delivered.containsKey("_client_id"));
    MonitorCopy copy = MonitorCopy.fromJson(nextCopy().body());
    assertEquals(delivered, new JsonObject(copy.frame()), "the copy is what the direct recipient got");
    assertEquals(CLIENT, copy.except(), "the direct recipient gets no copy");
    awaitSettled();
  }

  @Test
  void aMessageForAReceiverNobodyHoldsIsDeadLetteredWithItsReason() throws Exception {
    JsonObject routed = text("for nobody").put("sender_id", "agent_00000001").put("receiver_id", "web_0badbeef");
    rabbit.publish(Queues.BROKER_OUTPUT, routed);

    RabbitVhost.Received dead = rabbit.take(Queues.UNDELIVERABLE, TIMEOUT);
    assertNotNull(dead, "dead-lettered");
    assertEquals(routed, dead.json());
    assertEquals("receiver web_0badbeef is not connected",
        dead.properties().getHeaders().get(Queues.REASON_HEADER).toString());
    assertEquals("web_0badbeef", dead.properties().getHeaders().get(Queues.RECEIVER_HEADER).toString());
    awaitSettled();
  }

  /**
   * Issue 14, defect 3: the copy used to be published fire-and-forget and the delivery acked at once, so a copy
   * still in flight was lost with a dying instance. Now the delivery stays unacknowledged (RabbitMQ still holds it)
   * until every member's monitors answered.
   */
  @Test
  void aDeliveryIsAcknowledgedOnlyAfterItsMonitoringCopyWasAnswered() throws Exception {
    monitorsAnswer = false;
    JsonObject routed = text("copy first").put("sender_id", "agent_00000001").put("receiver_id", CLIENT);
    rabbit.publish(Queues.BROKER_OUTPUT, routed);

    assertNotNull(clientFrames.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS), "delivered directly");
    Message<JsonObject> held = nextCopy();
    assertEquals(1, rabbit.unacknowledged(Queues.BROKER_OUTPUT),
        "while its copy is unanswered the delivery is not acknowledged: an instance dying now loses nothing");
    vertx.runOnContext(v -> held.reply(null));
    awaitSettled();
  }

  /**
   * A member killed with a copy outstanding never answers; once the membership no longer lists it, its copy counts
   * as done and the delivery is acknowledged, without waiting for the whole delivery timeout.
   */
  @Test
  void aMemberThatLeavesWhileOwingItsCopyCountsAsDone(VertxTestContext context) throws Exception {
    String dying = "dying-node";
    BlockingQueue<Message<JsonObject>> held = new LinkedBlockingQueue<>();
    vertx.eventBus().<JsonObject>consumer(Addresses.gatewayMonitors(dying), held::add).completion()
        .onComplete(context.succeedingThenComplete());
    assertTrue(context.awaitCompletion(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
    members.add(dying);
    JsonObject routed = text("member dies").put("sender_id", "agent_00000001").put("receiver_id", CLIENT);
    rabbit.publish(Queues.BROKER_OUTPUT, routed);

    nextCopy();
    assertNotNull(held.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS), "the other member was asked too");
    double requeuedBefore = redeliveriesSkipped();
    members.remove(dying);
    awaitSettled();
    assertEquals(requeuedBefore, redeliveriesSkipped(),
        "acknowledged once the member left, not returned to the queue after the delivery timeout");
  }

  /**
   * A copy that times out sends the delivery back to the queue; its redelivery only sends the copy again, so the
   * direct recipient still gets the message once.
   */
  @Test
  void aCopyThatTimesOutIsSentAgainWithoutASecondDirectDelivery() throws Exception {
    monitorsAnswer = false;
    JsonObject routed = text("copy again").put("sender_id", "agent_00000001").put("receiver_id", CLIENT);
    rabbit.publish(Queues.BROKER_OUTPUT, routed);

    nextCopy();
    monitorsAnswer = true;
    MonitorCopy again = MonitorCopy.fromJson(nextCopy().body());
    assertEquals(routed.getString("message_id"), new JsonObject(again.frame()).getString("message_id"),
        "the redelivery sends the copy that was not answered");
    awaitSettled();

    JsonObject sentinel = text("sentinel").put("sender_id", "agent_00000001").put("receiver_id", CLIENT);
    rabbit.publish(Queues.BROKER_OUTPUT, sentinel);
    List<String> ids = new ArrayList<>();
    while (!ids.contains(sentinel.getString("message_id"))) {
      String frame = clientFrames.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      assertNotNull(frame, "the sentinel arrived; so far " + ids);
      ids.add(new JsonObject(frame).getString("message_id"));
    }
    assertEquals(List.of(routed.getString("message_id"), sentinel.getString("message_id")), ids,
        "the direct recipient got the message once");
    awaitSettled();
  }

  /**
   * Issue 14, "session resume loses a reply": the frontend's socket closed as the frame reached its address, the
   * gateway unregistered the address with the frame already handed to it, and Vert.x answered the request at once
   * with a TIMEOUT ("Discarded the request"). Taken for a timeout, the frame was dead-lettered although it was never
   * written; it must wait in the resume queue of the frontend that is away. Here the client's consumer is paused, so
   * the frame waits in it, and is unregistered right after the frame was handed to it.
   */
  @Test
  void aFrameDiscardedByAConsumerUnregisteredAsItArrivedIsParkedForTheAwayClient(VertxTestContext context)
      throws Exception {
    Context consumerContext = vertx.getOrCreateContext();
    List<MessageConsumer<String>> consumer = new ArrayList<>();
    BlockingQueue<String> handled = new LinkedBlockingQueue<>();
    consumerContext.runOnContext(v -> {
      MessageConsumer<String> registered = vertx.eventBus().<String>consumer(Addresses.client(AWAY_CLIENT),
          msg -> handled.add(msg.body()));
      registered.pause();
      consumer.add(registered);
      registered.completion().onComplete(context.succeedingThenComplete());
    });
    assertTrue(context.awaitCompletion(TIMEOUT.toSeconds(), TimeUnit.SECONDS), "the client's consumer registered");
    Handler<DeliveryContext<Object>> unregisterOnArrival = delivery -> {
      delivery.next();
      if (delivery.message().address().equals(Addresses.client(AWAY_CLIENT))) {
        // Queued on the consumer's event loop after the frame's arrival, so the frame is pending when it runs.
        consumerContext.runOnContext(v -> consumer.get(0).unregister());
      }
    };
    vertx.eventBus().addOutboundInterceptor(unregisterOnArrival);
    try {
      JsonObject routed = text("as the socket closes").put("sender_id", "agent_00000001")
          .put("receiver_id", AWAY_CLIENT);
      rabbit.publish(Queues.BROKER_OUTPUT, routed);
      awaitSettled();

      assertTrue(handled.isEmpty(), "the paused consumer never handled the frame");
      assertEquals(1, rabbit.readyIn(Queues.resumeQueue(AWAY_CLIENT)), "parked for the resume");
      JsonObject sentinel = text("sentinel").put("sender_id", "agent_00000001").put("receiver_id", "web_0badbeef");
      rabbit.publish(Queues.BROKER_OUTPUT, sentinel);
      List<String> deadLettered = new ArrayList<>();
      while (!deadLettered.contains(sentinel.getString("message_id"))) {
        RabbitVhost.Received dead = rabbit.take(Queues.UNDELIVERABLE, TIMEOUT);
        assertNotNull(dead, "the sentinel was dead-lettered; so far " + deadLettered);
        deadLettered.add(dead.json().getString("message_id"));
      }
      assertFalse(deadLettered.contains(routed.getString("message_id")), "not dead-lettered: " + deadLettered);
      awaitSettled();
    } finally {
      vertx.eventBus().removeOutboundInterceptor(unregisterOnArrival);
    }
  }

  private static double redeliveriesSkipped() {
    return HubMetrics.registry().counter("agenthub.messages.redeliveries_skipped").count();
  }

  private static Message<JsonObject> nextCopy() throws InterruptedException {
    Message<JsonObject> copy = copies.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    assertNotNull(copy, "a monitoring copy was requested from " + Addresses.gatewayMonitors(NODE));
    return copy;
  }

  private static void awaitSettled() throws Exception {
    Await.until("broker_output_queue is empty and nothing is unacknowledged", TIMEOUT,
        () -> rabbit.messageCount(Queues.BROKER_OUTPUT) == 0 && rabbit.unacknowledged(Queues.BROKER_OUTPUT) == 0);
  }
}
