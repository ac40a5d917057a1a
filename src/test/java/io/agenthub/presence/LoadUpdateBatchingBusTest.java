package io.agenthub.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agenthub.bus.Addresses;
import io.agenthub.bus.AgentDetailsChanged;
import io.agenthub.bus.AgentMeasure;
import io.agenthub.bus.LoadAddresses;
import io.agenthub.bus.LoadMeasures;
import io.agenthub.bus.LoadReport;
import io.agenthub.bus.RegisterReply;
import io.agenthub.bus.RegisterRequest;
import io.agenthub.cluster.Membership;
import io.agenthub.config.Setting;
import io.agenthub.protocol.ClientRole;
import io.agenthub.protocol.Fields;
import io.agenthub.support.ManualClock;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Protocol extension "live load": however often the load changes, clients that asked for agent details get at most
 * one load update per AGENT_LOAD_INTERVAL, carrying the latest figures. Twenty reports with new figures, published well
 * within one interval of two seconds, make one announcement, or two when a regrade falls within the burst.
 */
@ExtendWith(VertxExtension.class)
class LoadUpdateBatchingBusTest {
  private static final String NODE = "test-node";
  private static final int REPORTS = 20;

  @Test
  void manyChangesWithinOneIntervalAreAnnouncedOnceWithTheLatestFigures(Vertx vertx) throws Exception {
    BlockingQueue<AgentDetailsChanged> announced = new LinkedBlockingQueue<>();
    vertx.eventBus().<JsonObject>localConsumer(LoadAddresses.PRESENCE_DETAILS_CHANGED, msg -> {
      AgentDetailsChanged change = AgentDetailsChanged.fromJson(msg.body());
      if (change.announce()) {
        announced.add(change);
      }
    });
    vertx.deployVerticle(new PresenceVerticle(Membership.single(NODE), new ManualClock()), new DeploymentOptions()
        .setConfig(Setting.defaults().put("AGENT_LOAD_INTERVAL", 2))).toCompletionStage().toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
    String agentId = RegisterReply.fromJson(vertx.eventBus().<JsonObject>request(Addresses.PRESENCE_REGISTER,
            new RegisterRequest(ClientRole.AGENT, "Busy", NODE, null).toJson()).toCompletionStage()
        .toCompletableFuture().get(10, TimeUnit.SECONDS).body()).clientId();
    announced.clear();

    long start = System.nanoTime();
    for (int i = 1; i <= REPORTS; i++) {
      vertx.eventBus().publish(LoadAddresses.PRESENCE_LOAD_REPORT, new LoadReport("other-node", new LoadMeasures(
          Map.of(agentId, new AgentMeasure(null, i, null, null, null, 0, null)), List.of())).toJson());
    }
    long publishedWithin = System.nanoTime() - start;

    assertTrue(publishedWithin < TimeUnit.SECONDS.toNanos(1), "the reports went out within half an interval");
    int updates = 0;
    int unanswered = 0;
    while (unanswered != REPORTS) {
      AgentDetailsChanged update = announced.poll(10, TimeUnit.SECONDS);
      assertTrue(update != null, "no load update with the latest figures within 10 s");
      JsonObject entry = update.entries().getJsonObject(0);
      assertEquals(agentId, entry.getString(Fields.AGENT_ID));
      unanswered = entry.getJsonObject("load").getInteger("unanswered");
      updates++;
    }
    assertTrue(updates <= 2, updates + " updates for " + REPORTS + " changes within one interval");
  }
}
