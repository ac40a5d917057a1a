package io.agenthub.support;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A WebSocket client for tests, on the JDK's own implementation (nothing shared with the server under test). The test
 * thread waits for frames with timeouts; it is never an event loop.
 *
 * <p>Every frame is checked against docs/asyncapi.yaml ({@link ProtocolSpec}): each frame the hub sends against what
 * the hub may send to this client's role (before registration: registration responses and errors), each frame sent
 * with {@link #send} against what a client of that role may send. A frame from the hub that the spec does not
 * describe fails the test at its next {@code next…}, {@code frame}, {@code collect} or {@code close}. Deliberately
 * malformed input goes out through {@link #sendUnchecked}, {@link #sendText} or {@link #sendBinary}.
 */
public final class WsClient implements AutoCloseable {
  public static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final WebSocket socket;
  private final BlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
  private final CompletableFuture<Integer> closed = new CompletableFuture<>();
  private final List<String> specViolations = new CopyOnWriteArrayList<>();
  /** The role once the hub answered a registration; set by the listener, before the test can read the answer. */
  private volatile String role;
  private String id;

  private WsClient(URI uri, Map<String, String> headers) throws Exception {
    this(HttpClient.newHttpClient(), uri, headers);
  }

  /**
   * The spec is loaded before the socket opens: compiling it takes seconds on a loaded machine the first time, which
   * must not count against the hub's REGISTRATION_TIMEOUT.
   */
  private WsClient(HttpClient http, URI uri, Map<String, String> headers) throws Exception {
    ProtocolSpec.get();
    WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(TIMEOUT);
    headers.forEach(builder::header);
    socket = builder.buildAsync(uri, new Listener()).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
  }

  public static WsClient connect(int port) throws Exception {
    return connect(port, Map.of());
  }

  public static WsClient connect(int port, String origin) throws Exception {
    return connect(port, Map.of("Origin", origin));
  }

  /** Connects with these headers on the upgrade request. */
  public static WsClient connect(int port, Map<String, String> headers) throws Exception {
    return new WsClient(URI.create("ws://127.0.0.1:" + port + "/ws"), headers);
  }

  /** Connects to any URI (e.g. {@code wss://}) with that client (e.g. one trusting a test certificate). */
  public static WsClient connect(HttpClient http, URI uri) throws Exception {
    return new WsClient(http, uri, Map.of());
  }

  /** Connects and registers; returns once the registration response arrived. */
  public static WsClient register(int port, String role, String name) throws Exception {
    return register(port,
        new JsonObject().put("message_type", "REGISTER_" + role.toUpperCase()).put(role + "_name", name));
  }

  /** Connects and sends this REGISTER_… frame (extensions included); returns once the response arrived. */
  public static WsClient register(int port, JsonObject registration) throws Exception {
    String type = registration.getString("message_type");
    String role = type.substring("REGISTER_".length()).toLowerCase();
    WsClient client = connect(port);
    client.send(registration);
    JsonObject response = client.next();
    if (!(type + "_RESPONSE").equals(response.getString("message_type"))) {
      throw new AssertionError("registration answered with " + response);
    }
    client.id = response.getString(role + "_id");
    return client;
  }

  public String id() {
    return id;
  }

  /** Sends a frame the spec allows a client of this role to send; fails the test, sending nothing, if it does not. */
  public void send(JsonObject frame) throws Exception {
    ProtocolSpec.get().checkFrame(ProtocolSpec.hubReceivesFrom(role), frame);
    sendText(frame.encode());
  }

  /** Sends a frame without checking it against the spec: for bad input sent on purpose. */
  public void sendUnchecked(JsonObject frame) throws Exception {
    sendText(frame.encode());
  }

  /** Sends any text, unchecked. */
  public void sendText(String text) throws Exception {
    socket.sendText(text, true).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
  }

  public void sendBinary(byte[] bytes) throws Exception {
    socket.sendBinary(ByteBuffer.wrap(bytes), true).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
  }

  /** The next frame, whatever it is; fails the test if none arrives in time. */
  public JsonObject next() throws InterruptedException {
    JsonObject frame = frames.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    failOnSpecViolation();
    if (frame == null) {
      throw new AssertionError("no frame within " + TIMEOUT);
    }
    return frame;
  }

  /** The next frame, or null if none arrives within {@code timeout}. */
  public JsonObject frame(Duration timeout) throws InterruptedException {
    JsonObject frame = timeout.isNegative() ? null : frames.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    failOnSpecViolation();
    return frame;
  }

  /** The next frame of that type; frames of other types before it are skipped. */
  public JsonObject next(String messageType) throws InterruptedException {
    return next(f -> messageType.equals(f.getString("message_type")), TIMEOUT);
  }

  /** The next frame matching, skipping others; fails the test when none matches within {@code timeout}. */
  public JsonObject next(Predicate<JsonObject> matching, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<JsonObject> skipped = new ArrayList<>();
    while (true) {
      long left = deadline - System.nanoTime();
      JsonObject frame = left <= 0 ? null : frames.poll(left, TimeUnit.NANOSECONDS);
      failOnSpecViolation();
      if (frame == null) {
        throw new AssertionError("no matching frame within " + timeout + "; skipped " + skipped);
      }
      if (matching.test(frame)) {
        return frame;
      }
      skipped.add(frame);
    }
  }

  /**
   * Every frame up to and including the first that matches, in order: what arrived before a sentinel. Fails the test
   * when none matches within {@code timeout}.
   */
  public List<JsonObject> framesUntil(Predicate<JsonObject> sentinel, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<JsonObject> seen = new ArrayList<>();
    while (true) {
      long left = deadline - System.nanoTime();
      JsonObject frame = left <= 0 ? null : frames.poll(left, TimeUnit.NANOSECONDS);
      if (frame == null) {
        throw new AssertionError("no sentinel frame within " + timeout + "; got " + seen);
      }
      seen.add(frame);
      if (sentinel.test(frame)) {
        return seen;
      }
    }
  }

  /**
   * Every frame the hub sent this client before it answered a PING sent now. The hub answers a socket's frames in
   * order, so whatever it had written to this client before it read the PING is in the list: proof that something
   * did not arrive, without waiting out a quiet window.
   */
  public List<JsonObject> framesBeforePong() throws Exception {
    send(new JsonObject().put("message_type", "PING"));
    return framesBefore(f -> "PONG".equals(f.getString("message_type")));
  }

  /** Every frame before the first that matches, which is awaited for up to {@link #TIMEOUT} and consumed. */
  public List<JsonObject> framesBefore(Predicate<JsonObject> sentinel) throws InterruptedException {
    List<JsonObject> seen = framesUntil(sentinel, TIMEOUT);
    failOnSpecViolation();
    return seen.subList(0, seen.size() - 1);
  }

  /** Frames that arrive within {@code window} and match; used to prove something did NOT arrive. */
  public List<JsonObject> collect(Predicate<JsonObject> matching, Duration window) throws InterruptedException {
    long deadline = System.nanoTime() + window.toNanos();
    List<JsonObject> matches = new ArrayList<>();
    long left;
    while ((left = deadline - System.nanoTime()) > 0) {
      JsonObject frame = frames.poll(left, TimeUnit.NANOSECONDS);
      if (frame != null && matching.test(frame)) {
        matches.add(frame);
      }
    }
    failOnSpecViolation();
    return matches;
  }

  /** The close code the server sent, waiting for it. */
  public int awaitClose() throws Exception {
    return closed.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
  }

  public boolean isOpen() {
    return !closed.isDone() && !socket.isInputClosed();
  }

  /** Closes the connection; fails the test if the hub sent a frame the spec does not describe. */
  @Override
  public void close() {
    socket.abort();
    failOnSpecViolation();
  }

  private void failOnSpecViolation() {
    if (!specViolations.isEmpty()) {
      throw new AssertionError("the hub sent " + specViolations.size() + " frame(s) to "
          + (id == null ? "an unregistered client" : id) + " that docs/asyncapi.yaml does not describe: "
          + String.join("\n", specViolations));
    }
  }

  /** Checks a frame from the hub, then learns the role from a registration response. */
  private void received(String text) {
    JsonObject frame;
    try {
      frame = new JsonObject(text);
    } catch (RuntimeException e) {
      specViolations.add("a text frame that is not a JSON object: " + text);
      return;
    }
    ProtocolSpec.get().problemWithFrame(ProtocolSpec.hubSendsTo(role), frame).ifPresent(specViolations::add);
    String type = frame.getValue("message_type") instanceof String s ? s : "";
    if (role == null && type.startsWith("REGISTER_") && type.endsWith("_RESPONSE")) {
      role = type.substring("REGISTER_".length(), type.length() - "_RESPONSE".length()).toLowerCase();
    }
    frames.add(frame);
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        received(partial.toString());
        partial.setLength(0);
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      closed.complete(statusCode);
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      closed.complete(-1);
    }
  }
}
