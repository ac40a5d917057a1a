package io.agenthub.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agenthub.bus.Addresses;
import io.agenthub.bus.Failures;
import io.agenthub.bus.ForwardRequest;
import io.agenthub.bus.HeartbeatTick;
import io.agenthub.bus.MonitorCopy;
import io.agenthub.bus.PresenceChanged;
import io.agenthub.bus.RegisterRequest;
import io.agenthub.protocol.ClientRole;
import io.agenthub.support.GatewayFixture;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The gateway's bus contract, with the gateway deployed alone and presence and the bridge stubbed by consumers
 * ({@link GatewayFixture}): what a real WebSocket client does becomes bus requests, and what the other verticles
 * publish becomes frames.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
class GatewayBusTest {
  private static final JsonArray AGENTS = new JsonArray()
      .add(agent("agent_00000001", true)).add(agent("agent_00000002", false));

  @RegisterExtension
  static final GatewayFixture GATEWAY = GatewayFixture.perTest(new JsonObject());

  /** Completed by the stubbed bridge with the next forward request it gets. */
  private Promise<Message<JsonObject>> nextForward = Promise.promise();
  private Vertx vertx;
  private int port;
  /** Held for the whole test: Vert.x closes a client that is no longer referenced, with its sockets. */
  private WebSocketClient webSockets;

  @BeforeEach
  void stubPresenceAndBridge() {
    vertx = GATEWAY.vertx();
    port = GATEWAY.port();
    GATEWAY.agents(AGENTS);
    GATEWAY.answerForwards(request -> nextForward.complete(request));
    webSockets = vertx.createWebSocketClient();
  }

  @Test
  void registrationGoesThroughPresence(VertxTestContext context) {
    Client.register(webSockets, port, ClientRole.FRONTEND, "Tab")
        .onComplete(context.succeeding(frontend -> context.verify(() -> {
          assertEquals(1, GATEWAY.registrations().size());
          RegisterRequest request = GATEWAY.registrations().get(0);
          assertEquals(ClientRole.FRONTEND, request.role());
          assertEquals("Tab", request.name());
          assertEquals(GatewayFixture.NODE, request.nodeId());
          assertNull(request.resumeId());
          assertEquals("web_00000001", frontend.registration.getString("frontend_id"));
          context.completeNow();
        })));
  }

  @Test
  void aPresenceChangeBecomesAStatusUpdateOnAFrontend(VertxTestContext context) {
    JsonArray changed = new JsonArray().add(agent("agent_00000003", true));
    JsonArray after = AGENTS.copy().add(agent("agent_00000003", true));
    Client.register(webSockets, port, ClientRole.FRONTEND, "Tab")
        .compose(frontend -> frontend.next("AGENT_STATUS_UPDATE").map(first -> {
          vertx.eventBus().publish(Addresses.PRESENCE_CHANGED, new PresenceChanged(after, changed).toJson());
          return frontend;
        }))
        .compose(frontend -> frontend.next("AGENT_STATUS_UPDATE"))
        .onComplete(context.succeeding(update -> context.verify(() -> {
          assertEquals(after, update.getJsonArray("agents"));
          assertTrue(update.getBoolean("is_full_update"));
          context.completeNow();
        })));
  }

  @Test
  void aBrokersStatusRequestReachesBrokersAsAFanOutNumberedForDeltaClients(VertxTestContext context) {
    Client.register(webSockets, port, ClientRole.BROKER, "Router", new JsonObject().put("status_updates", "delta"))
        .compose(broker -> broker.next("AGENT_STATUS_UPDATE").compose(first -> {
          broker.send(new JsonObject().put("message_type", "REQUEST_AGENT_STATUS"));
          return broker.next("AGENT_STATUS_UPDATE");
        }))
        .onComplete(context.succeeding(update -> context.verify(() -> {
          assertEquals(AGENTS, update.getJsonArray("agents"));
          assertTrue(update.getBoolean("is_full_update"));
          assertEquals(2, update.getLong("seq"));
          context.completeNow();
        })));
  }

  @Test
  void anAgentPingTickBecomesAPingOnAnAgent(VertxTestContext context) {
    Client.register(webSockets, port, ClientRole.AGENT, "Echo")
        .compose(agent -> {
          vertx.eventBus().publish(Addresses.HEARTBEAT_TICK,
              new HeartbeatTick(HeartbeatTick.AGENT_PING, null).toJson());
          return agent.next("PING");
        })
        .onComplete(context.succeedingThenComplete());
  }

  @Test
  void chatIsForwardedAndTheBridgesFailuresAreNamed(VertxTestContext context) {
    Client.register(webSockets, port, ClientRole.AGENT, "Echo")
        .compose(agent -> forwardFailing(agent, "m-1", Failures.NOT_PUBLISHED)
            .compose(error -> {
              context.verify(() -> assertEquals("FORWARD_FAILED", error.getString("error_code")));
              return forwardFailing(agent, "m-2", Failures.OUTCOME_UNKNOWN);
            }))
        .onComplete(context.succeeding(error -> context.verify(() -> {
          assertEquals("FORWARD_OUTCOME_UNKNOWN", error.getString("error_code"));
          assertEquals("m-2", error.getString("in_reply_to_message_id"));
          context.completeNow();
        })));
  }

  /** Sends a chat message, checks the ForwardRequest the bridge gets, fails it with {@code code}: the ERROR. */
  private Future<JsonObject> forwardFailing(Client agent, String messageId, int code) {
    nextForward = Promise.promise();
    agent.send(new JsonObject().put("message_type", "TEXT").put("message_id", messageId)
        .put("receiver_id", "broker").put("text_payload", "hello"));
    return nextForward.future().compose(request -> {
      JsonObject message = new JsonObject(ForwardRequest.fromJson(request.body()).message());
      if (!messageId.equals(message.getString("message_id"))
          || !agent.clientId().equals(message.getString("sender_id"))) {
        return Future.failedFuture("unexpected forward " + message);
      }
      request.fail(code, "stubbed bridge failure " + code);
      return agent.next("ERROR");
    });
  }

  /**
   * Session resume: the answer to a message whose sender's socket closed before the bridge failed it (RabbitMQ down,
   * so it cannot wait in a resume queue) is written when the sender resumes, right after its registration response.
   */
  @Test
  void aForwardFailureForASenderThatLeftIsWrittenWhenItResumes(VertxTestContext context) {
    nextForward = Promise.promise();
    Client.register(webSockets, port, ClientRole.FRONTEND, "Tab")
        .compose(frontend -> {
          frontend.send(new JsonObject().put("message_type", "TEXT").put("message_id", "m-away")
              .put("receiver_id", "broker").put("text_payload", "hello"));
          return nextForward.future().compose(forward -> frontend.close()
              .compose(closed -> GATEWAY.disconnected(frontend.clientId()))
              .map(gone -> {
                forward.fail(Failures.NOT_PUBLISHED, "RabbitMQ is not connected");
                return frontend.clientId();
              }));
        })
        .compose(id -> Client.register(webSockets, port, ClientRole.FRONTEND, "Tab",
            new JsonObject().put("frontend_id", id)))
        .compose(resumed -> resumed.next("ERROR"))
        .onComplete(context.succeeding(error -> context.verify(() -> {
          assertEquals("FORWARD_FAILED", error.getString("error_code"));
          assertEquals("m-away", error.getString("in_reply_to_message_id"));
          context.completeNow();
        })));
  }

  @Test
  void aMonitorCopyReachesEveryFrontendButTheOneNamedThenIsAnswered(VertxTestContext context) {
    String copy = new JsonObject().put("message_type", "TEXT").put("text_payload", "watched").encode();
    Future<Client> sender = Client.register(webSockets, port, ClientRole.FRONTEND, "Sender");
    Future<Client> watcher = sender.compose(s -> Client.register(webSockets, port, ClientRole.FRONTEND, "Watcher"));
    watcher
        .compose(w -> vertx.eventBus().request(Addresses.gatewayMonitors(GatewayFixture.NODE),
            new MonitorCopy(copy, sender.result().clientId()).toJson()))
        .compose(reply -> watcher.result().next("TEXT"))
        .compose(seen -> {
          context.verify(() -> assertEquals("watched", seen.getString("text_payload")));
          sender.result().send(new JsonObject().put("message_type", "PING"));
          return sender.result().next("PONG");
        })
        .onComplete(context.succeeding(pong -> context.verify(() -> {
          assertFalse(sender.result().received("TEXT"), "the frontend named in except got the copy");
          context.completeNow();
        })));
  }

  @Test
  void aFrameWithADeliveryKeyIsWrittenOnceToASocketAndItsRepeatsAreAnsweredAsDelivered(VertxTestContext context) {
    String keyed = new JsonObject().put("message_type", "TEXT").put("text_payload", "keyed").encode();
    String unkeyed = new JsonObject().put("message_type", "REPLY").put("text_payload", "no key").encode();
    DeliveryOptions withKey = new DeliveryOptions().addHeader(Addresses.DELIVERY_KEY_HEADER, "k-1");
    Client.register(webSockets, port, ClientRole.FRONTEND, "Keyed").compose(frontend -> {
      String address = Addresses.client(frontend.clientId());
      return vertx.eventBus().request(address, keyed, withKey)
          .compose(first -> vertx.eventBus().request(address, keyed, withKey))
          .compose(repeat -> vertx.eventBus().request(Addresses.gatewayMonitors(GatewayFixture.NODE),
              new MonitorCopy(keyed, null, "k-1").toJson()))
          .compose(copy -> vertx.eventBus().request(address, unkeyed))
          .compose(first -> vertx.eventBus().request(address, unkeyed))
          .compose(second -> {
            frontend.send(new JsonObject().put("message_type", "PING"));
            return frontend.next("PONG");
          })
          .onComplete(context.succeeding(pong -> context.verify(() -> {
            assertEquals(1, frontend.count("TEXT"), "a key is written once, as a frame or as a monitoring copy");
            assertEquals(2, frontend.count("REPLY"), "frames without a key are written as they come");
            context.completeNow();
          })));
    }).onFailure(context::failNow);
  }

  /**
   * Session resume: the keys of what the socket was written go to presence with its disconnect, and come back with
   * the resumed registration; a frame with one of them is answered as delivered without being written again, while
   * the resumed socket still gets new frames.
   */
  @Test
  void theDuplicateGuardFollowsTheClientToItsResumedSocket(VertxTestContext context) {
    String first = new JsonObject().put("message_type", "REPLY").put("text_payload", "first").encode();
    String second = new JsonObject().put("message_type", "REPLY").put("text_payload", "second").encode();
    Client.register(webSockets, port, ClientRole.FRONTEND, "Hopper")
        .compose(frontend -> vertx.eventBus().request(Addresses.client(frontend.clientId()), first, keyed("k-1"))
            .compose(written -> frontend.next("REPLY"))
            .compose(written -> frontend.close())
            .compose(closed -> GATEWAY.disconnected(frontend.clientId()))
            .map(gone -> frontend.clientId()))
        .compose(id -> {
          context.verify(() -> assertEquals(List.of("k-1"), GATEWAY.recentKeysAtDisconnect(id)));
          return Client.register(webSockets, port, ClientRole.FRONTEND, "Hopper",
              new JsonObject().put("frontend_id", id));
        })
        .compose(resumed -> vertx.eventBus().request(Addresses.client(resumed.clientId()), first, keyed("k-1"))
            .compose(repeat -> vertx.eventBus().request(Addresses.client(resumed.clientId()), second, keyed("k-2")))
            .compose(written -> resumed.next("REPLY"))
            .compose(reply -> {
              context.verify(() -> assertEquals("second", reply.getString("text_payload"), "k-1 is not written"));
              resumed.send(new JsonObject().put("message_type", "PING"));
              return resumed.next("PONG");
            })
            .map(pong -> resumed))
        .onComplete(context.succeeding(resumed -> context.verify(() -> {
          assertEquals(1, resumed.count("REPLY"), "only the frame the old socket had not got is written");
          context.completeNow();
        })));
  }

  private static DeliveryOptions keyed(String key) {
    return new DeliveryOptions().addHeader(Addresses.DELIVERY_KEY_HEADER, key);
  }

  private static JsonObject agent(String id, boolean online) {
    return new JsonObject().put("agent_id", id).put("agent_name", id).put("is_online", online)
        .put("last_seen", "2026-01-01T00:00:00");
  }

  /** A registered WebSocket client; frames are taken by type, in arrival order, the others left for later. */
  private static final class Client {
    private final WebSocket socket;
    private final List<JsonObject> unread = new ArrayList<>();
    private final List<JsonObject> taken = new ArrayList<>();
    private String awaitedType;
    private Promise<JsonObject> awaited;
    private JsonObject registration;

    private Client(WebSocket socket) {
      this.socket = socket;
      socket.textMessageHandler(text -> onFrame(new JsonObject(text)));
    }

    static Future<Client> register(WebSocketClient webSockets, int port, ClientRole role, String name) {
      return register(webSockets, port, role, name, new JsonObject());
    }

    static Future<Client> register(WebSocketClient webSockets, int port, ClientRole role, String name,
        JsonObject options) {
      return webSockets.connect(port, "127.0.0.1", "/ws").compose(socket -> {
        Client client = new Client(socket);
        client.send(options.copy().put("message_type", "REGISTER_" + role.name()).put(role.nameField(), name));
        return client.next("REGISTER_" + role.name() + "_RESPONSE").map(response -> {
          client.registration = response;
          return client;
        });
      });
    }

    String clientId() {
      return registration.getString(registration.containsKey("agent_id") ? "agent_id" : "frontend_id");
    }

    void send(JsonObject frame) {
      socket.writeTextMessage(frame.encode());
    }

    Future<Void> close() {
      return socket.close();
    }

    boolean received(String type) {
      return taken.stream().anyMatch(f -> type.equals(f.getString("message_type")))
          || unread.stream().anyMatch(f -> type.equals(f.getString("message_type")));
    }

    long count(String type) {
      return Stream.concat(taken.stream(), unread.stream())
          .filter(f -> type.equals(f.getString("message_type"))).count();
    }

    Future<JsonObject> next(String type) {
      for (JsonObject frame : unread) {
        if (type.equals(frame.getString("message_type"))) {
          unread.remove(frame);
          taken.add(frame);
          return Future.succeededFuture(frame);
        }
      }
      awaitedType = type;
      awaited = Promise.promise();
      return awaited.future();
    }

    private void onFrame(JsonObject frame) {
      if (awaited != null && awaitedType.equals(frame.getString("message_type"))) {
        Promise<JsonObject> waiting = awaited;
        awaited = null;
        taken.add(frame);
        waiting.complete(frame);
      } else {
        unread.add(frame);
      }
    }
  }
}
