package io.agenthub.config;

import static io.agenthub.support.Messages.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.agenthub.metrics.HubMetrics;
import io.agenthub.support.Await;
import io.agenthub.support.Http;
import io.agenthub.support.HubExtension;
import io.agenthub.support.Integration;
import io.agenthub.support.RabbitVhost;
import io.agenthub.support.TestHub;
import io.agenthub.support.WsClient;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/** Editing conf/ on a running hub: valid changes apply within a scan period, invalid ones are refused loudly. */
@Integration
class LiveConfigTest {
  private static final Duration APPLIED = Duration.ofSeconds(10);
  @RegisterExtension
  static final HubExtension HUB = HubExtension.perTest("live-config", new JsonObject());

  @Test
  void pingIntervalChangesLive() throws Exception {
    try (WsClient agent = WsClient.register(HUB.port(), "agent", "Patient")) {
      assertTrue(agent.collect(f -> "PING".equals(f.getString("message_type")), Duration.ofMillis(600)).isEmpty(),
          "default interval is 10 s");
      writeOverride("zz-live.yaml", "AGENT_PING_INTERVAL: 0.2\nAGENT_INACTIVITY_TIMEOUT: 5\n");
      agent.next("PING");
      long start = System.nanoTime();
      agent.next("PING");
      agent.next("PING");
      assertTrue(System.nanoTime() - start < Duration.ofSeconds(2).toNanos(), "PINGs now come every 0.2 s");
      assertTrue(agent.isOpen(), "the socket survived the change");
    }
  }

  @Test
  void newlyDisallowedOriginIsRefusedWhileExistingSocketsStay() throws Exception {
    try (WsClient browser = WsClient.connect(HUB.port(), "https://old.example")) {
      browser.send(new JsonObject().put("message_type", "REGISTER_FRONTEND").put("frontend_name", "Browser"));
      browser.next("REGISTER_FRONTEND_RESPONSE");
      writeOverride("zz-live.json", new JsonObject().put("CORS_ALLOWED_ORIGINS", "https://new.example").encode());
      Await.until("old origin refused", APPLIED, () -> {
        try (WsClient ignored = WsClient.connect(HUB.port(), "https://old.example")) {
          return false;
        } catch (Exception refused) {
          return true;
        }
      });
      try (WsClient allowed = WsClient.connect(HUB.port(), "https://new.example")) {
        assertTrue(allowed.isOpen());
      }
      browser.send(new JsonObject().put("message_type", "PING"));
      browser.next("PONG");
    }
  }

  @Test
  void newFrameLimitIsEnforced() throws Exception {
    try (WsClient client = WsClient.register(HUB.port(), "frontend", "Writer")) {
      writeOverride("zz-live.json", new JsonObject().put("MAX_FRAME_BYTES", 512).encode());
      awaitFrameLimit(client, true);
    }
  }

  @Test
  void invalidFilesAreRefusedWholeAndReportedUntilFixed() throws Exception {
    try (WsClient client = WsClient.register(HUB.port(), "frontend", "Steady")) {
      writeOverride("zz-live.json", new JsonObject().put("MAX_FRAME_BYTES", 512).encode());
      awaitFrameLimit(client, true);
      double rejectedBefore = HubMetrics.registry().counter("agenthub.config.rejected").count();

      writeOverride("zz-live.json", "{\"MAX_FRAME_BYTES\": 100000, \"CLIENT_RATE_LIMIT\": ");
      JsonObject rejected = awaitRejection();
      assertTrue(rejected.getJsonArray("problems").encode().contains("zz-live.json"), rejected.encode());
      assertFrameLimit(client, true);

      writeOverride("zz-live.json", new JsonObject().put("MAX_FRAME_BYTES", 100000).put("PORT", "eighty").encode());
      rejected = awaitRejection(r -> r.encode().contains("PORT=\\\"eighty\\\""));
      assertTrue(rejected.encode().contains("zz-live.json"), "names the file: " + rejected.encode());
      assertTrue(rejected.encode().contains("expected an integer from 0 to 65535"), rejected.encode());
      assertFrameLimit(client, true);

      writeOverride("zz-live.json", new JsonObject().put("MAX_FRAME_BYTES", 100000).put("MAX_FRAME_BITES", 1).encode());
      awaitRejection(r -> r.encode().contains("unknown key MAX_FRAME_BITES"));
      assertFrameLimit(client, true);
      assertTrue(HubMetrics.registry().counter("agenthub.config.rejected").count() >= rejectedBefore + 3);

      writeOverride("zz-live.json", new JsonObject().put("MAX_FRAME_BYTES", 100000).encode());
      awaitFrameLimit(client, false);
      Await.until("rejection cleared", APPLIED, () -> !configStatus().containsKey("rejected"));
      assertTrue(client.isOpen());
    }
  }

  @Test
  void logLevelChangesLive() throws Exception {
    Logger hubLogger = (Logger) LoggerFactory.getLogger("io.agenthub");
    writeOverride("zz-live.json", new JsonObject().put("LOG_LEVEL", "DEBUG").encode());
    Await.until("io.agenthub at DEBUG", APPLIED, () -> hubLogger.isDebugEnabled());
    writeOverride("zz-live.json", new JsonObject().put("LOG_LEVEL", "WARN").encode());
    Await.until("io.agenthub at WARN", APPLIED, () -> !hubLogger.isInfoEnabled());
  }

  @Test
  void otherLoggersLevelsChangeLiveAndGoBackWhenRemoved() throws Exception {
    Logger netty = (Logger) LoggerFactory.getLogger("io.netty");
    Level configured = netty.getLevel();
    writeOverride("zz-live.json", new JsonObject().put("LOGGER_LEVELS", "io.netty=TRACE").encode());
    Await.until("io.netty at TRACE", APPLIED, () -> netty.getLevel() == Level.TRACE);
    writeOverride("zz-live.json", new JsonObject().encode());
    Await.until("io.netty back to its logback level", APPLIED, () -> netty.getLevel() == configured);
  }

  @Test
  void restartOnlySettingsDoNotMoveTheRunningServer() throws Exception {
    writeOverride("zz-live.json", new JsonObject().put("PORT", 1).put("LOG_LEVEL", "ERROR").encode());
    Logger hubLogger = (Logger) LoggerFactory.getLogger("io.agenthub");
    Await.until("the change was applied", APPLIED, () -> !hubLogger.isWarnEnabled());
    assertEquals(200, Http.get(HUB.port(), "/health").statusCode(), "still listening where it started");
    writeOverride("zz-live.json", new JsonObject().put("LOG_LEVEL", "WARN").encode());
  }

  @Test
  void bridgeMovesToANewRabbitMqTargetLive() throws Exception {
    try (RabbitVhost next = RabbitVhost.create("live-config-next");
         WsClient client = WsClient.register(HUB.port(), "frontend", "Mover")) {
      client.send(text("before"));
      assertEquals("before", HUB.rabbit().takeJson("broker_input_queue", WsClient.TIMEOUT).getString("text_payload"));
      writeOverride("zz-live.json", new JsonObject().put("RABBITMQ_VHOST", next.name()).encode());
      Await.until("the bridge consumes the new vhost", APPLIED, () -> next.consumerCount("broker_output_queue") == 1);
      client.send(text("after"));
      assertEquals("after", next.takeJson("broker_input_queue", WsClient.TIMEOUT).getString("text_payload"));
      JsonObject routed = text("routed on the new target").put("receiver_id", client.id());
      next.publish("broker_output_queue", routed);
      client.next(f -> routed.getString("message_id").equals(f.getString("message_id")), WsClient.TIMEOUT);
      Await.until("the old connection is closed", APPLIED,
          () -> HUB.rabbit().consumerCount("broker_output_queue") == 0);
      assertTrue(client.isOpen());
    }
  }

  private void writeOverride(String file, String content) throws Exception {
    Path staged = HUB.hub().confDir().resolve(file + ".staged");
    Files.writeString(staged, content);
    Files.move(staged, HUB.hub().confDir().resolve(file), StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
  }

  private JsonObject configStatus() throws Exception {
    return Http.getJson(HUB.port(), "/health/ready").getJsonObject("config");
  }

  private JsonObject awaitRejection() throws Exception {
    return awaitRejection(r -> true);
  }

  private JsonObject awaitRejection(java.util.function.Predicate<JsonObject> matching) throws Exception {
    JsonObject[] found = new JsonObject[1];
    Await.until("a matching rejection is reported", APPLIED, () -> {
      found[0] = configStatus().getJsonObject("rejected");
      return found[0] != null && matching.test(found[0]);
    });
    return found[0];
  }

  /** Sends a 1000-byte frame until the hub's answer shows the expected limit in force. */
  private void awaitFrameLimit(WsClient client, boolean limited) throws Exception {
    Await.until("frame limit " + (limited ? "512" : "lifted"), APPLIED, () -> frameIsRefused(client) == limited);
  }

  private void assertFrameLimit(WsClient client, boolean limited) throws Exception {
    assertEquals(limited, frameIsRefused(client), "the last good configuration is still in force");
  }

  private boolean frameIsRefused(WsClient client) throws Exception {
    JsonObject big = text("x".repeat(1000));
    client.send(big);
    JsonObject answer = client.next(f -> "FRAME_TOO_LARGE".equals(f.getString("error_code"))
        || big.getString("message_id").equals(f.getString("message_id")), WsClient.TIMEOUT);
    return "FRAME_TOO_LARGE".equals(answer.getString("error_code"));
  }

  @Test
  void invalidConfigurationAtStartIsRefusedWithKeyValueAndFile() throws Exception {
    Path dir = Files.createTempDirectory("bad-conf");
    Files.copy(Path.of("conf/hub.json"), dir.resolve("hub.json"));
    Files.writeString(dir.resolve("zz.json"), "{\"AGENT_PING_INTERVAL\": -3}");
    ConfigSources sources = new ConfigSources(dir, dir.resolve(".env"));
    Exception failure = assertThrows(Exception.class, () -> TestHub.await(sources.load(HUB.hub().vertx())));
    InvalidConfigException invalid = (InvalidConfigException) failure.getCause();
    String described = String.join("\n", invalid.describe(sources::sourceOf));
    assertTrue(described.contains("AGENT_PING_INTERVAL=-3 is not allowed"), described);
    assertTrue(described.contains("zz.json"), described);
  }
}
