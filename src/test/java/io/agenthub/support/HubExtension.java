package io.agenthub.support;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * A real hub on its own RabbitMQ virtual host for a test class ({@link #perClass}) or a fresh one for every test
 * ({@link #perTest}), for tests that change or break what they run against. Register it on a static field with
 * {@code @RegisterExtension}. A test class annotated {@link TestBroker.On @TestBroker.On(EMBEDDED)} (or inheriting
 * the field from an abstract class of tests) gets a hub that embeds its own broker instead.
 */
public final class HubExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
  private final String vhostPrefix;
  private final JsonObject settings;
  private final boolean freshForEachTest;
  private RabbitVhost rabbit;
  private TestHub hub;

  private HubExtension(String vhostPrefix, JsonObject settings, boolean freshForEachTest) {
    this.vhostPrefix = vhostPrefix;
    this.settings = settings;
    this.freshForEachTest = freshForEachTest;
  }

  /** One hub shared by the tests of the class; {@code settings} override conf/hub.json. */
  public static HubExtension perClass(String vhostPrefix, JsonObject settings) {
    return new HubExtension(vhostPrefix, settings, false);
  }

  public static HubExtension perTest(String vhostPrefix, JsonObject settings) {
    return new HubExtension(vhostPrefix, settings, true);
  }

  public TestHub hub() {
    return hub;
  }

  public RabbitVhost rabbit() {
    return rabbit;
  }

  public int port() {
    return hub.port();
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    if (!freshForEachTest) {
      start(context);
    }
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    if (!freshForEachTest) {
      stop();
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) throws Exception {
    if (freshForEachTest) {
      start(context);
    }
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    if (freshForEachTest) {
      stop();
    }
  }

  private void start(ExtensionContext context) throws Exception {
    TestBroker broker = AnnotationSupport.findAnnotation(context.getRequiredTestClass(), TestBroker.On.class)
        .map(TestBroker.On::value).orElse(TestBroker.RABBITMQ);
    if (broker == TestBroker.EMBEDDED) {
      rabbit = RabbitVhost.onEmbeddedBroker(ClusterNodes.freePort());
      hub = TestHub.start(rabbit, new JsonObject().put("RABBITMQ_MODE", "embedded").mergeIn(settings));
      rabbit.connect();
    } else {
      rabbit = RabbitVhost.create(vhostPrefix);
      hub = TestHub.start(rabbit, settings);
    }
  }

  private void stop() throws Exception {
    try {
      if (hub != null) {
        hub.close();
      }
    } finally {
      hub = null;
      rabbit.close();
    }
  }
}
