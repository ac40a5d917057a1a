package io.agenthub.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.OutputStreamAppender;
import io.agenthub.support.Await;
import io.agenthub.support.HubExtension;
import io.agenthub.support.Integration;
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
 * Defect 3 of issue 11 on a whole hub set to LOG_LEVEL=DEBUG: where a client-supplied value reaches a log line (here
 * a refused frame's message_type, logged at DEBUG), the hub's own Logback configuration (logback-test.xml, the same
 * pattern as logback.xml) escapes it. That a name with a line break is refused and forges no line is checked on the
 * gateway alone ({@code gateway.policy.LogForgingBusTest}).
 */
@Integration
class LogForgingTest {
  /** What a forged line would start with, short enough to survive the abbreviation of long values. */
  private static final String FORGED_START = "2026-01-01T00:00:00.000Z ERROR";

  @RegisterExtension
  static final HubExtension HUB = HubExtension.perClass("log-forging", new JsonObject().put("LOG_LEVEL", "DEBUG"));

  private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
  private OutputStreamAppender<ILoggingEvent> appender;

  @BeforeEach
  void captureWithTheConfiguredPattern() {
    LoggerContext logback = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger root = logback.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    ConsoleAppender<ILoggingEvent> console = (ConsoleAppender<ILoggingEvent>) root.getAppender("STDOUT");
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(logback);
    encoder.setPattern(((PatternLayoutEncoder) console.getEncoder()).getPattern());
    encoder.start();
    appender = new OutputStreamAppender<>();
    appender.setContext(logback);
    appender.setEncoder(encoder);
    appender.setOutputStream(captured);
    appender.start();
    root.addAppender(appender);
  }

  @AfterEach
  void stopCapturing() {
    ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)
        .detachAppender(appender);
    appender.stop();
  }

  @Test
  void aClientValueThatReachesTheLogHasItsLineBreaksEscaped() throws Exception {
    String type = "x\n" + FORGED_START + "\r\u2028\u0085\u001b[31m";
    try (WsClient client = WsClient.register(HUB.port(), "frontend", "Writer")) {
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
    synchronized (captured) {
      return captured.toString(StandardCharsets.UTF_8);
    }
  }
}
