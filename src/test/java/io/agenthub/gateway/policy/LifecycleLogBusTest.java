package io.agenthub.gateway.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.agenthub.support.Await;
import io.agenthub.support.GatewayFixture;
import io.agenthub.support.WsClient;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/**
 * Nothing per client of a crowd at INFO: a frontend's registration and disconnect are logged at DEBUG (19,000 of them
 * reconnect at once after a restart), an agent's and a broker's at INFO, where an operator looks for them.
 */
class LifecycleLogBusTest {
  @RegisterExtension
  static final GatewayFixture GATEWAY = GatewayFixture.perClass(new JsonObject());

  private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
  private Logger registrations;
  private Level level;

  @BeforeEach
  void captureTheRegistrationLines() {
    registrations = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger("io.agenthub.gateway.Registrations");
    level = registrations.getLevel();
    registrations.setLevel(Level.DEBUG);
    lines.start();
    registrations.addAppender(lines);
  }

  @AfterEach
  void stopCapturing() {
    registrations.detachAppender(lines);
    registrations.setLevel(level);
    lines.stop();
  }

  @Test
  void aFrontendComesAndGoesAtDebugAndABrokerAtInfo() throws Exception {
    String frontendId;
    try (WsClient frontend = WsClient.register(GATEWAY.port(), "frontend", "Crowd")) {
      frontendId = frontend.id();
    }
    String brokerId;
    try (WsClient broker = WsClient.register(GATEWAY.port(), "broker", "Router")) {
      brokerId = broker.id();
    }
    Await.until("both disconnects are logged", WsClient.TIMEOUT, () -> linesAbout(brokerId).size() == 2
        && linesAbout(frontendId).size() == 2);

    assertEquals(List.of(Level.DEBUG, Level.DEBUG), levels(frontendId));
    assertEquals(List.of(Level.INFO, Level.INFO), levels(brokerId));
  }

  private List<ILoggingEvent> linesAbout(String clientId) {
    // AppenderBase appends holding the appender's lock.
    synchronized (lines) {
      return lines.list.stream().filter(line -> line.getFormattedMessage().contains(clientId)).toList();
    }
  }

  private List<Level> levels(String clientId) {
    return linesAbout(clientId).stream().map(ILoggingEvent::getLevel).toList();
  }
}
