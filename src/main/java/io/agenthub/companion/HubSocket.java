package io.agenthub.companion;

import io.agenthub.protocol.ClientRole;
import io.agenthub.protocol.Fields;
import io.agenthub.protocol.MessageType;
import io.agenthub.protocol.ReportedLoad;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A companion's WebSocket to the hub, behaving like the old Python clients: registers with its name, answers the
 * hub's keepalive (agents PONG a PING with their id, brokers PONG a SERVER_HEARTBEAT), and after the hub goes away
 * reconnects with backoff and registers again with its previous id: an agent takes its id back while it is offline,
 * a frontend or broker its session within the hub's resume window, with the messages addressed to it meanwhile.
 * When the hub says when to come back (an upgrade refused with {@code Retry-After}, a registration refused with
 * {@code RATE_LIMITED} and {@code retry_after_ms}), it waits that long, plus up to half again at random so that a
 * crowd refused together does not return together.
 */
final class HubSocket {
  private static final Logger LOG = LoggerFactory.getLogger(HubSocket.class);
  private static final long FIRST_RETRY_MS = 500;
  private static final long LAST_RETRY_MS = 10_000;
  private static final int MAX_IN_USE_REFUSALS = 5;

  private final Vertx vertx;
  private final WebSocketClient client;
  /** The hub's URLs (several instances of a cluster); a lost connection moves to the next one. */
  private final List<String> urls;
  private String url;
  private final String token;
  private final ClientRole role;
  private final String name;
  private final Consumer<JsonObject> frameHandler;
  private Consumer<String> registrationHandler = id -> { };
  /** Extension fields sent with every registration (e.g. {@code "streams": true}). */
  private JsonObject registrationFields = new JsonObject();
  /** An agent's figures for its PONGs (protocol extension "live load"); null: a plain PONG, as the seed agents send. */
  private Supplier<JsonObject> pongLoad;
  private WebSocket socket;
  private String id;
  private long retryDelayMs = FIRST_RETRY_MS;
  private boolean stopped;
  private int inUseRefusals;

  HubSocket(Vertx vertx, CompanionSettings settings, ClientRole role, String name, Consumer<JsonObject> frameHandler) {
    this.vertx = vertx;
    this.client = vertx.createWebSocketClient();
    this.urls = settings.websocketUrls();
    this.url = urls.get(0);
    this.token = settings.hubToken();
    this.role = role;
    this.name = name;
    this.frameHandler = frameHandler;
  }

  /** Called with the id after every successful registration, including re-registrations after a reconnect. */
  HubSocket onRegistered(Consumer<String> handler) {
    this.registrationHandler = handler;
    return this;
  }

  /** Sends these fields with every registration, to opt in to protocol extensions. */
  HubSocket withRegistrationFields(JsonObject fields) {
    this.registrationFields = fields.copy();
    return this;
  }

  /** An agent adds these figures to every PONG, as {@code "load"}. */
  HubSocket withPongLoad(Supplier<JsonObject> load) {
    this.pongLoad = load;
    return this;
  }

  /**
   * Completes with the registered id, or fails with the hub's refusal or the connection error. An upgrade the hub
   * refused with {@code Retry-After} (503 when saturated or full, 429 at the per-address limit) is tried again then.
   */
  Future<String> connect() {
    Promise<String> registered = Promise.promise();
    open(registered);
    return registered.future();
  }

  private void open(Promise<String> registered) {
    client.connect(new WebSocketConnectOptions().setAbsoluteURI(url))
        .onSuccess(opened -> register(opened, registered))
        .onFailure(failed -> {
          long retryAfterMs = RetryHints.ofUpgrade(failed);
          if (retryAfterMs == 0 || stopped) {
            registered.fail(failed);
            return;
          }
          long wait = RetryHints.withJitter(retryAfterMs);
          LOG.warn("{} {}: {} refused the connection ({}); trying again in {} ms", role.displayName(), id, url,
              failed.getMessage(), wait);
          vertx.setTimer(wait, timer -> {
            if (stopped) {
              registered.tryFail("stopped");
            } else {
              open(registered);
            }
          });
        });
  }

  String id() {
    return id;
  }

  Future<Void> send(JsonObject frame) {
    return socket == null || socket.isClosed() ? Future.failedFuture("not connected to the hub")
        : socket.writeTextMessage(frame.encode());
  }

  Future<Void> close() {
    stopped = true;
    Future<Void> closed = socket == null ? Future.succeededFuture() : socket.close();
    return closed.eventually(client::close);
  }

  private void register(WebSocket opened, Promise<String> registered) {
    socket = opened;
    opened.textMessageHandler(text -> onFrame(text, registered));
    opened.closeHandler(closed -> onClosed(registered));
    opened.writeTextMessage(registration().encode()).onFailure(registered::tryFail);
  }

  private JsonObject registration() {
    JsonObject registration = registrationFields.copy()
        .put(Fields.MESSAGE_TYPE, role.registerType().name())
        .put(role.nameField(), name);
    if (id != null) {
      registration.put(role.idField(), id);
    }
    if (token != null) {
      registration.put("token", token);
    }
    return registration;
  }

  private void onFrame(String text, Promise<String> registered) {
    JsonObject frame;
    try {
      frame = new JsonObject(text);
    } catch (DecodeException notJson) {
      LOG.warn("{} {}: the hub sent a frame that is not a JSON object: {}", role.displayName(), id, text);
      return;
    }
    if (!registered.future().isComplete()) {
      onRegistrationAnswer(frame, registered);
      return;
    }
    String type = frame.getString(Fields.MESSAGE_TYPE, "");
    if (role == ClientRole.AGENT && type.equals(MessageType.PING.name())) {
      JsonObject pong = new JsonObject().put(Fields.MESSAGE_TYPE, MessageType.PONG.name())
          .put(Fields.AGENT_ID, id).put(Fields.AGENT_NAME, name);
      send(pongLoad == null ? pong : pong.put(ReportedLoad.FIELD, pongLoad.get()));
    } else if (role == ClientRole.BROKER && type.equals(MessageType.SERVER_HEARTBEAT.name())) {
      send(new JsonObject().put(Fields.MESSAGE_TYPE, MessageType.PONG.name()));
    }
    frameHandler.accept(frame);
  }

  /** The contract makes the registration answer the first frame on the socket. */
  private void onRegistrationAnswer(JsonObject frame, Promise<String> registered) {
    if (role.responseType().name().equals(frame.getString(Fields.MESSAGE_TYPE))
        && "success".equals(frame.getString("status"))) {
      id = frame.getString(role.idField());
      retryDelayMs = FIRST_RETRY_MS;
      inUseRefusals = 0;
      LOG.info("{} {} \"{}\" registered at {}", role.displayName(), id, name, url);
      registered.complete(id);
      registrationHandler.accept(id);
    } else if (RetryHints.ofRefusal(frame) > 0) {
      registerAgainLater(socket, RetryHints.withJitter(RetryHints.ofRefusal(frame)), frame);
    } else {
      keepIdOnlyIfStillInUse(frame);
      registered.fail("registration refused: " + frame.getString(Fields.TEXT_PAYLOAD, frame.encode()));
      socket.close();
    }
  }

  /** A registration refused with RATE_LIMITED: the socket stays open, and the registration is sent again then. */
  private void registerAgainLater(WebSocket opened, long wait, JsonObject refusal) {
    LOG.warn("{} {}: registration refused for now ({}); registering again in {} ms", role.displayName(), id,
        refusal.getString(Fields.TEXT_PAYLOAD), wait);
    vertx.setTimer(wait, timer -> {
      if (!stopped && !opened.isClosed()) {
        opened.writeTextMessage(registration().encode());
      }
    });
  }

  /**
   * The hub refuses a previous id that still looks in use: after the instance that held it died, until the cluster
   * has noticed (a few seconds). The id is tried again a few times, with backoff, before a fresh one is taken.
   */
  private void keepIdOnlyIfStillInUse(JsonObject refusal) {
    boolean inUse = refusal.getString("error_code", "").endsWith("_ID_IN_USE");
    if (!inUse || ++inUseRefusals > MAX_IN_USE_REFUSALS) {
      id = null;
      inUseRefusals = 0;
    }
  }

  /** A socket that never registered is retried by whoever called connect(); a registered one reconnects here. */
  private void onClosed(Promise<String> registered) {
    boolean wasRegistered = registered.future().succeeded();
    registered.tryFail("the hub closed the connection before registration finished");
    if (stopped || !wasRegistered) {
      return;
    }
    LOG.warn("{} {}: connection to {} lost; reconnecting in {} ms", role.displayName(), id, url, retryDelayMs);
    scheduleReconnect();
  }

  /** Each attempt goes to the next of the hub's URLs, so a client of a cluster fails over to a live instance. */
  private void scheduleReconnect() {
    url = urls.get((urls.indexOf(url) + 1) % urls.size());
    vertx.setTimer(RetryHints.withJitter(retryDelayMs), timer -> {
      if (stopped) {
        return;
      }
      retryDelayMs = Math.min(retryDelayMs * 2, LAST_RETRY_MS);
      connect().onFailure(failed -> {
        LOG.warn("{} {}: reconnect to {} failed ({}); next try in {} ms",
            role.displayName(), id, url, failed.getMessage(), retryDelayMs);
        scheduleReconnect();
      });
    });
  }
}
