package io.agenthub.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agenthub.bus.Addresses;
import io.agenthub.support.ManualClock;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The configuration verticle's bus contract, with it deployed alone on a folder of its own: a valid change to a file
 * is published on {@link Addresses#CONFIG_CHANGED}; an invalid one is refused whole and reported by
 * {@link Addresses#CONFIG_STATUS}, naming the key.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
class ConfigBusTest {
  private static final int SCAN_PERIOD_MS = 100;

  @TempDir
  Path conf;
  private final ManualClock clock = new ManualClock(Instant.parse("2026-03-01T12:00:00.000001Z"));

  @BeforeEach
  void deployTheConfigVerticleAlone(Vertx vertx, VertxTestContext context) {
    JsonObject config = HubConfig.parse(Setting.defaults().put("CONFIG_SCAN_PERIOD_MS", SCAN_PERIOD_MS)).toJson();
    vertx.deployVerticle(new ConfigVerticle(new ConfigSources(conf, conf.resolve(".env")), clock),
            new DeploymentOptions().setConfig(config))
        .onComplete(context.succeedingThenComplete());
  }

  @Test
  void aValidChangeToAFileIsPublishedWhole(Vertx vertx, VertxTestContext context) throws Exception {
    Promise<JsonObject> published = Promise.promise();
    vertx.eventBus().<JsonObject>localConsumer(Addresses.CONFIG_CHANGED, msg -> published.tryComplete(msg.body()))
        .completion()
        .compose(registered -> vertx.executeBlocking(() ->
            Files.writeString(conf.resolve("local.json"), "{\"AGENT_PING_INTERVAL\": 2.5}")))
        .compose(written -> published.future())
        .onComplete(context.succeeding(json -> context.verify(() -> {
          HubConfig next = HubConfig.fromJson(json);
          assertEquals(Duration.ofMillis(2500), next.duration(Setting.AGENT_PING_INTERVAL));
          assertEquals(Setting.values().length, json.size(), "every setting, not only the changed one");
          context.completeNow();
        })));
  }

  @Test
  void anInvalidChangeIsRefusedAndReportedWithItsKey(Vertx vertx, VertxTestContext context) throws Exception {
    vertx.eventBus().<JsonObject>localConsumer(Addresses.CONFIG_CHANGED,
        msg -> context.failNow("an invalid change was published: " + msg.body()));
    clock.advance(Duration.ofSeconds(5));
    Files.writeString(conf.resolve("local.json"), "{\"AGENT_PING_INTERVAL\": -1}");
    awaitRejection(vertx, System.nanoTime() + TimeUnit.SECONDS.toNanos(15))
        .onComplete(context.succeeding(status -> context.verify(() -> {
          JsonArray problems = status.getJsonObject("rejected").getJsonArray("problems");
          assertEquals(1, problems.size());
          assertTrue(problems.getString(0).contains("AGENT_PING_INTERVAL=-1"), problems.getString(0));
          assertEquals(conf.toString(), status.getString("source"));
          assertEquals("2026-03-01T12:00:00.000001", status.getString("applied_at"), "at start, by the hub's clock");
          assertEquals("2026-03-01T12:00:05.000001", status.getJsonObject("rejected").getString("at"));
          context.completeNow();
        })));
  }

  @Test
  void statusHasNoRejectionWhileEveryScanIsValid(Vertx vertx, VertxTestContext context) {
    vertx.eventBus().<JsonObject>request(Addresses.CONFIG_STATUS, new JsonObject())
        .onComplete(context.succeeding(reply -> context.verify(() -> {
          assertFalse(reply.body().containsKey("rejected"));
          context.completeNow();
        })));
  }

  /** Asks CONFIG_STATUS once per scan period until it reports a rejection, or fails at the deadline. */
  private static Future<JsonObject> awaitRejection(Vertx vertx, long deadlineNanos) {
    return vertx.eventBus().<JsonObject>request(Addresses.CONFIG_STATUS, new JsonObject()).compose(reply -> {
      if (reply.body().containsKey("rejected")) {
        return Future.succeededFuture(reply.body());
      }
      if (System.nanoTime() > deadlineNanos) {
        return Future.failedFuture("no rejection reported: " + reply.body());
      }
      Promise<JsonObject> later = Promise.promise();
      vertx.setTimer(SCAN_PERIOD_MS, t -> awaitRejection(vertx, deadlineNanos).onComplete(later));
      return later.future();
    });
  }
}
