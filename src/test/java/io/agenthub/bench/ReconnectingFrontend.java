package io.agenthub.bench;

import io.agenthub.protocol.ClientRole;
import io.agenthub.protocol.Fields;
import io.agenthub.protocol.MessageType;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.util.function.Consumer;

/**
 * A frontend that stays connected the way the reference companions do (companion/HubSocket): once its socket is
 * lost it tries again after 0.5 s, doubling the wait up to 10 s, each wait plus up to half again at random; it
 * registers again with its previous id, to resume its session; it honours the hub's hints ({@link RetryHints}); a
 * refusal without one closes the socket and counts as a failed attempt. It never gives up: the scenario decides how
 * long to wait for it. Touched only on its own context.
 */
final class ReconnectingFrontend {
  private static final long FIRST_RETRY_MS = 500;
  private static final long LAST_RETRY_MS = 10_000;

  private final Vertx vertx;
  private final WebSocketClient client;
  private final WebSocketConnectOptions target;
  private final String name;
  private final Consumer<ReconnectingFrontend> onRegistered;
  private volatile WebSocket socket;
  private String id;
  private long retryDelayMs = FIRST_RETRY_MS;
  private volatile boolean stopped;
  /** Volatile, as the scenario reads them from its own thread once it stopped waiting. */
  private volatile boolean registered;
  private volatile long registeredAtMillis;
  private volatile boolean sameIdAgain;
  /** What the attempts met: no connection, an upgrade refused with a hint, a registration refused without one. */
  private volatile int connectFailures;
  private volatile int hintedRetries;
  private volatile int refusals;

  /** {@code onRegistered} runs on this client's context after each registration, the first and every later one. */
  ReconnectingFrontend(Vertx vertx, WebSocketClient client, WebSocketConnectOptions target, String name,
      Consumer<ReconnectingFrontend> onRegistered) {
    this.vertx = vertx;
    this.client = client;
    this.target = target;
    this.name = name;
    this.onRegistered = onRegistered;
  }

  /** Starts connecting; to be called on the context the client is to live on. */
  void start() {
    open();
  }

  private void open() {
    if (stopped) {
      return;
    }
    client.connect(target).onComplete(this::onOpened, failed -> {
      long hinted = RetryHints.ofUpgrade(failed);
      if (hinted > 0) {
        hintedRetries++;
        later(RetryHints.withJitter(hinted), this::open);
      } else {
        connectFailures++;
        backOff();
      }
    });
  }

  private void onOpened(WebSocket opened) {
    socket = opened;
    opened.textMessageHandler(text -> onText(opened, text));
    opened.closeHandler(v -> onClosed(opened));
    opened.writeTextMessage(registration().encode());
  }

  private JsonObject registration() {
    JsonObject registration = new JsonObject().put(Fields.MESSAGE_TYPE, MessageType.REGISTER_FRONTEND.name())
        .put(ClientRole.FRONTEND.nameField(), name);
    return id == null ? registration : registration.put(ClientRole.FRONTEND.idField(), id);
  }

  /** Frames after the registration answer are not this scenario's subject: frontends answer no keepalive. */
  private void onText(WebSocket opened, String text) {
    if (registered) {
      return;
    }
    JsonObject answer = new JsonObject(text);
    if (ClientRole.FRONTEND.responseType().name().equals(answer.getString(Fields.MESSAGE_TYPE))
        && "success".equals(answer.getString("status"))) {
      String previous = id;
      id = answer.getString(ClientRole.FRONTEND.idField());
      sameIdAgain = id.equals(previous);
      registered = true;
      registeredAtMillis = System.currentTimeMillis();
      retryDelayMs = FIRST_RETRY_MS;
      onRegistered.accept(this);
      return;
    }
    long hinted = RetryHints.ofRefusal(answer);
    if (hinted > 0) {
      hintedRetries++;
      later(RetryHints.withJitter(hinted), () -> {
        if (!opened.isClosed()) {
          opened.writeTextMessage(registration().encode());
        }
      });
    } else {
      refusals++;
      opened.close();
    }
  }

  private void onClosed(WebSocket closed) {
    if (closed != socket) {
      return;
    }
    socket = null;
    registered = false;
    backOff();
  }

  private void backOff() {
    long wait = RetryHints.withJitter(retryDelayMs);
    retryDelayMs = Math.min(retryDelayMs * 2, LAST_RETRY_MS);
    later(wait, this::open);
  }

  private void later(long delayMs, Runnable action) {
    if (!stopped) {
      vertx.setTimer(Math.max(1, delayMs), t -> action.run());
    }
  }

  /** Stops reconnecting and closes the socket; from any thread. */
  Future<Void> stop() {
    stopped = true;
    WebSocket open = socket;
    return open == null ? Future.succeededFuture() : open.close();
  }

  boolean isRegistered() {
    return registered;
  }

  long registeredAtMillis() {
    return registeredAtMillis;
  }

  boolean sameIdAgain() {
    return sameIdAgain;
  }

  int connectFailures() {
    return connectFailures;
  }

  int hintedRetries() {
    return hintedRetries;
  }

  int refusals() {
    return refusals;
  }
}
