package io.agenthub.gateway;

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
 * Defect 3 of issue 11: a client-chosen name with a line break forged a line in the hub's log. The hub's own
 * Logback configuration (logback-test.xml, the same pattern as logback.xml) writes what a real registration logs.
 */
class LogForgingTest {
  private static final String FORGED = "2026-01-01T00:00:00.000Z ERROR [main] i.a.HubApplication - FORGED";

  @RegisterExtension
  static final HubExtension HUB = HubExtension.perClass("log-forging", new JsonObject().put("LOG_LEVEL", "INFO"));

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
  void aNameWithALineBreakCannotForgeALogLine() throws Exception {
    String name = "x\n" + FORGED + "\r\u2028\u0085\u001b[31m";
    try (WsClient client = WsClient.register(HUB.port(), new JsonObject()
        .put("message_type", "REGISTER_FRONTEND").put("frontend_name", name))) {
      Await.until("the registration is logged", WsClient.TIMEOUT, () -> log().contains(client.id()));
      String line = Arrays.stream(log().split("\n")).filter(l -> l.contains(client.id())).findFirst().orElseThrow();
      assertTrue(line.contains("\"x\\n" + FORGED + "\\r\\u2028\\u0085\\u001b[31m\""), line);
      assertFalse(Arrays.stream(log().split("[\n\r\u2028\u0085]")).anyMatch(l -> l.startsWith(FORGED)), log());
    }
  }

  private String log() {
    synchronized (captured) {
      return captured.toString(StandardCharsets.UTF_8);
    }
  }
}
