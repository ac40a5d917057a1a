package io.agenthub.gateway.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.OutputStreamAppender;
import io.agenthub.support.Await;
import io.agenthub.support.GatewayFixture;
import io.agenthub.support.WsClient;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/**
 * Defect 3 of issue 11 on the gateway alone: a client-chosen name with a line break forged a line in the hub's log.
 * Such a name is now refused by the name policy; and where a client-supplied value does reach a log line (here a
 * refused frame's message_type, logged at DEBUG), the hub's own Logback pattern (logback-test.xml, the same as
 * logback.xml) escapes it. {@code LogForgingTest} checks the escaping on a whole hub set to LOG_LEVEL=DEBUG.
 */
class LogForgingBusTest {
  private static final String FORGED = "2026-01-01T00:00:00.000Z ERROR [main] i.a.HubApplication - FORGED";
  /** What a forged line would start with, short enough to survive the abbreviation of long values. */
  private static final String FORGED_START = "2026-01-01T00:00:00.000Z ERROR";

  @RegisterExtension
  static final GatewayFixture GATEWAY = GatewayFixture.perClass(new JsonObject());

  private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
  private OutputStreamAppender<ILoggingEvent> appender;
  private Level hubLevel;

  /** The hub's loggers at DEBUG, as LOG_LEVEL=DEBUG sets them, written with the configured pattern. */
  @BeforeEach
  void captureTheHubsDebugLinesWithTheConfiguredPattern() {
    LoggerContext logback = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger hub = logback.getLogger("io.agenthub");
    hubLevel = hub.getLevel();
    hub.setLevel(Level.DEBUG);
    ConsoleAppender<ILoggingEvent> console =
        (ConsoleAppender<ILoggingEvent>) logback.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender("STDOUT");
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(logback);
    encoder.setPattern(((PatternLayoutEncoder) console.getEncoder()).getPattern());
    encoder.start();
    appender = new OutputStreamAppender<>();
    appender.setContext(logback);
    appender.setEncoder(encoder);
    appender.setOutputStream(captured);
    appender.start();
    hub.addAppender(appender);
  }

  @AfterEach
  void stopCapturing() {
    Logger hub = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger("io.agenthub");
    hub.detachAppender(appender);
    hub.setLevel(hubLevel);
    appender.stop();
  }

  @Test
  void aNameWithALineBreakIsRefusedAndForgesNoLogLine() throws Exception {
    try (WsClient client = WsClient.connect(GATEWAY.port())) {
      client.sendUnchecked(new JsonObject().put("message_type", "REGISTER_FRONTEND")
          .put("frontend_name", "x\n" + FORGED));
      assertEquals("INVALID_NAME", client.next("ERROR").getString("error_code"));
      Await.until("the refusal is logged", WsClient.TIMEOUT, () -> log().contains("INVALID_NAME"));
      assertNoForgedLine();
    }
  }

  @Test
  void aClientValueThatReachesTheLogHasItsLineBreaksEscaped() throws Exception {
    String type = "x\n" + FORGED_START + "\r\u2028\u0085\u001b[31m";
    try (WsClient client = WsClient.register(GATEWAY.port(), "frontend", "Writer")) {
      client.sendUnchecked(new JsonObject().put("message_type", type));
      assertEquals("UNKNOWN_MESSAGE_TYPE", client.next("ERROR").getString("error_code"));
      Await.until("the refusal is logged", WsClient.TIMEOUT, () -> log().contains("UNKNOWN_MESSAGE_TYPE"));
      String line = Arrays.stream(log().split("\n")).filter(l -> l.contains("UNKNOWN_MESSAGE_TYPE")).findFirst()
          .orElseThrow();
      assertTrue(line.contains("x\\n" + FORGED_START + "\\r\\u2028\\u0085\\u001b[31m"), line);
      assertNoForgedLine();
    }
  }

  private void assertNoForgedLine() {
    assertFalse(Arrays.stream(log().split("[\n\r\u2028\u0085]")).anyMatch(l -> l.startsWith(FORGED_START)), log());
  }

  private String log() {
    return captured.toString(StandardCharsets.UTF_8);
  }
}
