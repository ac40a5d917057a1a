package io.agenthub.support;

import io.agenthub.companion.BrokerCompanion;
import io.agenthub.companion.CompanionSettings;
import io.agenthub.companion.EchoAgentCompanion;
import io.agenthub.companion.EchoOptions;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The reference broker on a test class's hub, for the class, and echo agents started by a test and stopped after it.
 * Register it on a static field with {@code @RegisterExtension}, ordered ({@code @Order}) after the
 * {@link HubExtension} it serves.
 */
public final class Companions implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {
  private final HubExtension hub;
  private final List<EchoAgentCompanion> agents = new ArrayList<>();
  private Vertx vertx;
  private CompanionSettings settings;
  private BrokerCompanion broker;

  private Companions(HubExtension hub) {
    this.hub = hub;
  }

  public static Companions on(HubExtension hub) {
    return new Companions(hub);
  }

  /** An echo agent for this test; with {@code wordsPerSecond} above 0 it streams its answers at that rate. */
  public EchoAgentCompanion agent(String name, int wordsPerSecond) throws Exception {
    EchoAgentCompanion agent = TestHub.await(EchoAgentCompanion.start(vertx, settings,
        EchoOptions.named(name).streaming(wordsPerSecond)));
    agents.add(agent);
    return agent;
  }

  /** Stops an agent before the test ends (it is not stopped again after it). */
  public void stop(EchoAgentCompanion agent) throws Exception {
    agents.remove(agent);
    TestHub.await(agent.stop());
  }

  public CompanionSettings settings() {
    return settings;
  }

  public Vertx vertx() {
    return vertx;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    vertx = Vertx.vertx();
    settings = new CompanionSettings("ws://127.0.0.1:" + hub.port() + "/ws", "127.0.0.1", hub.rabbit().port(),
        "guest", "guest", hub.rabbit().name());
    broker = TestHub.await(BrokerCompanion.start(vertx, settings));
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    for (EchoAgentCompanion agent : List.copyOf(agents)) {
      stop(agent);
    }
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    TestHub.await(broker.stop());
    TestHub.await(vertx.close());
  }
}
