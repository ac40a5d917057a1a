package io.agenthub.support;

import io.agenthub.bus.Addresses;
import io.agenthub.bus.AgentList;
import io.agenthub.bus.BridgeStatus;
import io.agenthub.bus.ClientDisconnected;
import io.agenthub.bus.DrainReply;
import io.agenthub.bus.ForwardRequest;
import io.agenthub.bus.RegisterReply;
import io.agenthub.bus.RegisterRequest;
import io.agenthub.cluster.Membership;
import io.agenthub.config.HubConfig;
import io.agenthub.config.Setting;
import io.agenthub.gateway.GatewayVerticle;
import io.agenthub.protocol.ClientRole;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The gateway deployed alone, the rest of the hub stubbed by event-bus consumers, for real WebSocket clients: presence
 * registers every client (ids {@code web_00000001}, {@code agent_00000002}...; a resume id is given back as resumed,
 * with the delivery keys its last socket reported when it disconnected), or holds the registrations unanswered while
 * a test says so, and lists the agents a test sets; the bridge accepts every chat message and has no backlog to
 * drain. A test sees what reached presence and the bridge. Time is a {@link ManualClock}, so rate limits move only
 * when the test advances it; timers still run on Vert.x. Register it on a static field with
 * {@code @RegisterExtension}, one gateway for the test class ({@link #perClass}) or a fresh one for every test
 * ({@link #perTest}).
 */
public final class GatewayFixture implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
    AfterEachCallback {
  public static final String NODE = "node-under-test";
  private static final long TIMEOUT_SECONDS = 10;

  private final JsonObject settings;
  private final boolean freshForEachTest;
  private final List<RegisterRequest> registrations = new CopyOnWriteArrayList<>();
  /** Name → the id presence gave the last client registered with it. */
  private final Map<String, String> idsByName = new ConcurrentHashMap<>();
  private final BlockingQueue<JsonObject> forwarded = new LinkedBlockingQueue<>();
  /** Client id → completed once presence is told the client disconnected; touched under this fixture's lock. */
  private final Map<String, Promise<Void>> disconnects = new HashMap<>();
  /** Client id → the delivery keys its socket reported when it last disconnected. */
  private final Map<String, List<String>> recentKeys = new ConcurrentHashMap<>();
  private volatile JsonArray agents = new JsonArray();
  private volatile Handler<Message<JsonObject>> forwards = this::acceptForward;
  /** Registrations presence took but has not answered yet, while it holds them; touched on the stubs' context. */
  private final List<Message<JsonObject>> heldRegistrations = new ArrayList<>();
  private volatile boolean holdingRegistrations;
  private Context stubsContext;
  private Vertx vertx;
  private ManualClock clock;
  private GatewayVerticle gateway;
  private String gatewayDeployment;
  private String stubsDeployment;
  private Stubs stubs;

  private GatewayFixture(JsonObject settings, boolean freshForEachTest) {
    this.settings = new JsonObject().put("HOST", "127.0.0.1").put("PORT", 0).mergeIn(settings);
    this.freshForEachTest = freshForEachTest;
  }

  /** One gateway shared by the tests of the class; {@code settings} override the built-in defaults. */
  public static GatewayFixture perClass(JsonObject settings) {
    return new GatewayFixture(settings, false);
  }

  public static GatewayFixture perTest(JsonObject settings) {
    return new GatewayFixture(settings, true);
  }

  public int port() {
    return gateway.actualPort();
  }

  public Vertx vertx() {
    return vertx;
  }

  public ManualClock clock() {
    return clock;
  }

  /** Every registration that reached presence, oldest first. */
  public List<RegisterRequest> registrations() {
    return List.copyOf(registrations);
  }

  /** The id presence gave the last client that registered with this name, or null. */
  public String clientIdOf(String name) {
    return idsByName.get(name);
  }

  /** The agents presence lists from now on, as the status updates show them. */
  public void agents(JsonArray list) {
    agents = list.copy();
  }

  /** The next chat message the bridge was asked to forward, as the gateway stamped it; fails after 10 s. */
  public JsonObject nextForward() throws InterruptedException {
    JsonObject message = forwarded.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    if (message == null) {
      throw new AssertionError("nothing forwarded within " + TIMEOUT_SECONDS + " s");
    }
    return message;
  }

  /** The bridge answers forward requests with {@code handler} from now on, instead of accepting them. */
  public void answerForwards(Handler<Message<JsonObject>> handler) {
    forwards = handler;
  }

  /** Presence takes registrations from now on without answering them, until {@link #releaseRegistrations()}. */
  public void holdRegistrations() {
    holdingRegistrations = true;
  }

  /** Presence answers the registrations it held, in the order they came, and answers every later one at once. */
  public void releaseRegistrations() {
    stubsContext.runOnContext(v -> {
      holdingRegistrations = false;
      heldRegistrations.forEach(this::answerRegistration);
      heldRegistrations.clear();
    });
  }

  /** Completes once presence is told that this client disconnected (at once if it was already). */
  public synchronized Future<Void> disconnected(String clientId) {
    return disconnects.computeIfAbsent(clientId, id -> Promise.promise()).future();
  }

  /** Waits until presence is told that this client disconnected; fails after {@code seconds}. */
  public void awaitDisconnected(String clientId, long seconds) throws Exception {
    disconnected(clientId).toCompletionStage().toCompletableFuture().get(seconds, TimeUnit.SECONDS);
  }

  /** The delivery keys the client's socket reported when it last disconnected; empty before. */
  public List<String> recentKeysAtDisconnect(String clientId) {
    return recentKeys.getOrDefault(clientId, List.of());
  }

  /** Publishes a configuration change, as the config verticle does; the gateway applies it soon after. */
  public void changeSettings(JsonObject changes) {
    vertx.eventBus().publish(Addresses.CONFIG_CHANGED, config(settings.copy().mergeIn(changes)).toJson());
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    vertx = Vertx.vertx();
    if (!freshForEachTest) {
      deploy();
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) throws Exception {
    if (freshForEachTest) {
      deploy();
    }
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    if (freshForEachTest) {
      undeploy();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    try {
      if (!freshForEachTest) {
        undeploy();
      }
    } finally {
      await(vertx.close());
    }
  }

  private void deploy() throws Exception {
    registrations.clear();
    idsByName.clear();
    forwarded.clear();
    synchronized (this) {
      disconnects.clear();
    }
    recentKeys.clear();
    agents = new JsonArray();
    forwards = this::acceptForward;
    holdingRegistrations = false;
    heldRegistrations.clear();
    clock = new ManualClock();
    stubs = new Stubs();
    stubsDeployment = await(vertx.deployVerticle(stubs));
    gateway = new GatewayVerticle(Membership.single(NODE), clock);
    gatewayDeployment =
        await(vertx.deployVerticle(gateway, new DeploymentOptions().setConfig(config(settings).toJson())));
  }

  /** The gateway first, which tells presence it leaves and closes its sockets, then the stubs. */
  private void undeploy() throws Exception {
    await(vertx.undeploy(gatewayDeployment));
    await(vertx.undeploy(stubsDeployment));
  }

  private static HubConfig config(JsonObject overrides) {
    return HubConfig.parse(Setting.defaults().mergeIn(overrides));
  }

  private void answerRegistration(Message<JsonObject> msg) {
    RegisterRequest request = RegisterRequest.fromJson(msg.body());
    boolean resumed = request.resumeId() != null;
    String id = resumed ? request.resumeId() : stubs.freshId(request.role());
    idsByName.put(request.name(), id);
    msg.reply(new RegisterReply(id, resumed, resumed ? recentKeysAtDisconnect(id) : List.of()).toJson());
  }

  private void acceptForward(Message<JsonObject> request) {
    forwarded.add(new JsonObject(ForwardRequest.fromJson(request.body()).message()));
    request.reply(null);
  }

  private void onDisconnected(Message<JsonObject> msg) {
    ClientDisconnected gone = ClientDisconnected.fromJson(msg.body());
    String clientId = gone.clientId();
    recentKeys.put(clientId, gone.recentKeys());
    msg.reply(null);
    Promise<Void> disconnect;
    synchronized (this) {
      disconnect = disconnects.computeIfAbsent(clientId, id -> Promise.promise());
    }
    disconnect.tryComplete();
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }

  /** Presence and the bridge, as far as the gateway asks them; undeployed, they stop answering. */
  private final class Stubs extends VerticleBase {
    private final AtomicInteger ids = new AtomicInteger();

    @Override
    public Future<?> start() {
      stubsContext = context;
      EventBus bus = vertx.eventBus();
      return Future.all(List.of(
          bus.<JsonObject>localConsumer(Addresses.PRESENCE_REGISTER, this::register).completion(),
          bus.<JsonObject>localConsumer(Addresses.PRESENCE_AGENTS,
              msg -> msg.reply(new AgentList(agents).toJson())).completion(),
          bus.<JsonObject>localConsumer(Addresses.PRESENCE_DISCONNECTED, GatewayFixture.this::onDisconnected)
              .completion(),
          bus.<JsonObject>localConsumer(Addresses.PRESENCE_LEAVING, msg -> msg.reply(null)).completion(),
          bus.<JsonObject>localConsumer(Addresses.BRIDGE_FORWARD, msg -> forwards.handle(msg)).completion(),
          bus.<JsonObject>localConsumer(Addresses.BRIDGE_DRAIN, msg -> msg.reply(new DrainReply(0).toJson()))
              .completion(),
          bus.<JsonObject>localConsumer(Addresses.BRIDGE_STATUS,
              msg -> msg.reply(new BridgeStatus(true, "stub", "external", 0).toJson())).completion(),
          bus.<JsonObject>localConsumer(Addresses.CONFIG_STATUS, msg -> msg.reply(new JsonObject())).completion()));
    }

    private void register(Message<JsonObject> msg) {
      registrations.add(RegisterRequest.fromJson(msg.body()));
      if (holdingRegistrations) {
        heldRegistrations.add(msg);
      } else {
        answerRegistration(msg);
      }
    }

    private String freshId(ClientRole role) {
      return prefix(role) + String.format("%08d", ids.incrementAndGet());
    }

    private static String prefix(ClientRole role) {
      return switch (role) {
        case FRONTEND -> "web_";
        case AGENT -> "agent_";
        case BROKER -> "broker_";
      };
    }
  }
}
