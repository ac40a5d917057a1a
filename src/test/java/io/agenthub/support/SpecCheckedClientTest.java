package io.agenthub.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agenthub.protocol.ClientIds;
import io.agenthub.protocol.ClientRole;
import io.agenthub.protocol.ErrorCode;
import io.agenthub.protocol.Frames;
import io.agenthub.protocol.MessageType;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The spec check of {@link WsClient} fails the test that caused a violation. A stub server stands in for a hub that
 * breaks the protocol: it answers registrations like the hub and answers a PING with whatever frame the test chose.
 */
@Integration
class SpecCheckedClientTest {
  private Vertx vertx;
  private HttpServer server;
  private final BlockingQueue<JsonObject> receivedByServer = new LinkedBlockingQueue<>();
  private final AtomicReference<JsonObject> answerToPing = new AtomicReference<>(Frames.serverPong());
  private volatile boolean closeAfterAnswer;

  @BeforeEach
  void startStub() throws Exception {
    vertx = Vertx.vertx();
    server = TestHub.await(vertx.createHttpServer().webSocketHandler(this::serve).listen(0, "127.0.0.1"));
  }

  @AfterEach
  void stopStub() throws Exception {
    TestHub.await(vertx.close());
  }

  private void serve(ServerWebSocket socket) {
    boolean[] registered = {false};
    socket.textMessageHandler(text -> {
      JsonObject frame = new JsonObject(text);
      receivedByServer.add(frame);
      MessageType type = MessageType.parse(frame.getString("message_type")).orElseThrow();
      if (type.isRegistration()) {
        ClientRole role = ClientRole.forRegistration(type).orElseThrow();
        registered[0] = true;
        socket.writeTextMessage(Frames.registrationResponse(role, ClientIds.newId(role), "Stubbed").encode());
      } else if (!registered[0]) {
        socket.writeTextMessage(Frames.error(Frames.TEXT_MUST_REGISTER, ErrorCode.NOT_REGISTERED).encode());
      } else if (type == MessageType.PING) {
        socket.writeTextMessage(answerToPing.get().encode());
        if (closeAfterAnswer) {
          socket.close();
        }
      }
    });
  }

  @Test
  void aFrameTheSpecDoesNotDescribeFailsTheNextRead() throws Exception {
    answerToPing.set(Frames.agentStatusUpdate(new JsonArray()).put("shard", 3));
    WsClient frontend = WsClient.register(server.actualPort(), "frontend", "UI");
    frontend.send(new JsonObject().put("message_type", "PING"));
    AssertionError failure = assertThrows(AssertionError.class, () -> frontend.next("AGENT_STATUS_UPDATE"));
    assertTrue(failure.getMessage().contains("hubSendsToFrontend") && failure.getMessage().contains("shard"),
        failure.getMessage());
    assertThrows(AssertionError.class, frontend::close, "the violation still fails the test at close");
  }

  @Test
  void framesAreCheckedForTheRoleTheClientRegisteredAs() throws Exception {
    answerToPing.set(Frames.agentStatusUpdate(new JsonArray()));
    try (WsClient frontend = WsClient.register(server.actualPort(), "frontend", "UI")) {
      frontend.send(new JsonObject().put("message_type", "PING"));
      assertEquals(true, frontend.next("AGENT_STATUS_UPDATE").getBoolean("is_full_update"));
    }
    WsClient agent = WsClient.register(server.actualPort(), "agent", "Echo");
    agent.send(new JsonObject().put("message_type", "PING"));
    AssertionError failure = assertThrows(AssertionError.class, agent::next);
    assertTrue(failure.getMessage().contains("hubSendsToAgent"), failure.getMessage());
    assertThrows(AssertionError.class, agent::close);
  }

  @Test
  void aViolationNobodyReadFailsClose() throws Exception {
    answerToPing.set(new JsonObject().put("message_type", "PONG").put("sender_id", "not the server"));
    closeAfterAnswer = true;
    WsClient broker = WsClient.register(server.actualPort(), "broker", "Router");
    broker.send(new JsonObject().put("message_type", "PING"));
    broker.awaitClose();
    AssertionError failure = assertThrows(AssertionError.class, broker::close);
    assertTrue(failure.getMessage().contains("sender_id"), failure.getMessage());
  }

  @Test
  void sendRefusesAFrameTheSpecDoesNotAllowAndSendsNothing() throws Exception {
    try (WsClient client = WsClient.connect(server.actualPort())) {
      AssertionError refused = assertThrows(AssertionError.class,
          () -> client.send(new JsonObject().put("message_type", "PING")));
      assertTrue(refused.getMessage().contains("hubReceivesFromUnregisteredClient"), refused.getMessage());
      client.sendUnchecked(new JsonObject().put("message_type", "PING"));
      assertEquals("NOT_REGISTERED", client.next().getString("error_code"));
      client.send(new JsonObject().put("message_type", "REGISTER_FRONTEND").put("frontend_name", "UI"));
      client.next("REGISTER_FRONTEND_RESPONSE");
      assertEquals(List.of("PING", "REGISTER_FRONTEND"), List.of(
          receivedByServer.poll(1, TimeUnit.SECONDS).getString("message_type"),
          receivedByServer.poll(1, TimeUnit.SECONDS).getString("message_type")));
      assertTrue(receivedByServer.isEmpty(), "the refused frame was never sent: " + receivedByServer);
    }
  }
}
