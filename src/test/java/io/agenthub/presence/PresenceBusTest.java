package io.agenthub.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agenthub.bus.Addresses;
import io.agenthub.bus.AgentLookup;
import io.agenthub.bus.AgentQuery;
import io.agenthub.bus.ClientDisconnected;
import io.agenthub.bus.Failures;
import io.agenthub.bus.NodeLeft;
import io.agenthub.bus.PongReceived;
import io.agenthub.bus.PresenceChanged;
import io.agenthub.bus.RegisterReply;
import io.agenthub.bus.RegisterRequest;
import io.agenthub.cluster.Membership;
import io.agenthub.config.Setting;
import io.agenthub.protocol.ClientRole;
import io.agenthub.protocol.Fields;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The presence verticle alone on a non-clustered Vert.x, driven through its addresses with the bus records: its
 * replies, and the {@link PresenceChanged} it publishes for the gateway and the bridge.
 */
@ExtendWith(VertxExtension.class)
class PresenceBusTest {
  private static final String NODE = "test-node";

  private static Future<String> deploy(Vertx vertx, JsonObject overrides) {
    return vertx.deployVerticle(new PresenceVerticle(Membership.single(NODE)),
        new DeploymentOptions().setConfig(Setting.defaults().mergeIn(overrides)));
  }

  private static Future<RegisterReply> register(Vertx vertx, ClientRole role, String name, String resumeId) {
    return vertx.eventBus().<JsonObject>request(Addresses.PRESENCE_REGISTER,
            new RegisterRequest(role, name, NODE, resumeId).toJson())
        .map(reply -> RegisterReply.fromJson(reply.body()));
  }

  /** The next publication whose {@code changed} shows the agent in that state; listening starts at once. */
  private static Future<PresenceChanged> nextChange(Vertx vertx, String agentId, boolean online) {
    return nextChange(vertx, change -> shows(change.changed(), agentId, online));
  }

  private static Future<PresenceChanged> nextChange(Vertx vertx, Predicate<PresenceChanged> wanted) {
    Promise<PresenceChanged> seen = Promise.promise();
    MessageConsumer<JsonObject> consumer = vertx.eventBus().localConsumer(Addresses.PRESENCE_CHANGED);
    consumer.handler(msg -> {
      PresenceChanged change = PresenceChanged.fromJson(msg.body());
      if (wanted.test(change)) {
        consumer.unregister();
        seen.tryComplete(change);
      }
    });
    return seen.future();
  }

  private static boolean shows(JsonArray agents, String agentId, boolean online) {
    return agents.stream().map(JsonObject.class::cast).anyMatch(agent ->
        agentId.equals(agent.getString(Fields.AGENT_ID)) && agent.getBoolean(Fields.IS_ONLINE) == online);
  }

  @Test
  void aRegisteredAgentIsPublishedOnlineInChangedAndInTheFullList(Vertx vertx, VertxTestContext test) {
    Future<PresenceChanged> published = nextChange(vertx, change -> true);
    deploy(vertx, new JsonObject())
        .compose(v -> register(vertx, ClientRole.AGENT, "Echo", null))
        .compose(reply -> published.map(change -> {
          test.verify(() -> {
            assertTrue(reply.clientId().startsWith(ClientRole.AGENT.idPrefix()), reply.clientId());
            assertFalse(reply.resumed());
            assertEquals(1, change.changed().size());
            assertTrue(shows(change.changed(), reply.clientId(), true), "changed shows it online");
            assertTrue(shows(change.agents(), reply.clientId(), true), "the full list shows it too");
            assertEquals("Echo", change.changed().getJsonObject(0).getString(Fields.AGENT_NAME));
            assertEquals(Set.of(Fields.AGENT_ID, Fields.AGENT_NAME, Fields.IS_ONLINE, Fields.LAST_SEEN),
                change.changed().getJsonObject(0).fieldNames(), "no presence bookkeeping");
          });
          return change;
        }))
        .onComplete(test.succeedingThenComplete());
  }

  @Test
  void resumingTheIdOfAConnectedAgentFailsWithIdInUse(Vertx vertx, VertxTestContext test) {
    deploy(vertx, new JsonObject())
        .compose(v -> register(vertx, ClientRole.AGENT, "First", null))
        .compose(first -> register(vertx, ClientRole.AGENT, "Second", first.clientId()))
        .onComplete(test.failing(e -> test.verify(() -> {
          assertEquals(Failures.ID_IN_USE, ((ReplyException) e).failureCode());
          test.completeNow();
        })));
  }

  /** Every publication up to the offline one is kept: one per change, the online one then the offline one. */
  @Test
  void aDisconnectedAgentIsPublishedOfflineOnce(Vertx vertx, VertxTestContext test) {
    List<PresenceChanged> publications = new ArrayList<>();
    Promise<PresenceChanged> offline = Promise.promise();
    vertx.eventBus().<JsonObject>localConsumer(Addresses.PRESENCE_CHANGED, msg -> {
      PresenceChanged change = PresenceChanged.fromJson(msg.body());
      publications.add(change);
      if (change.changed().stream().map(JsonObject.class::cast).noneMatch(a -> a.getBoolean(Fields.IS_ONLINE))) {
        offline.tryComplete(change);
      }
    });
    deploy(vertx, new JsonObject())
        .compose(v -> register(vertx, ClientRole.AGENT, "Leaving", null))
        .compose(agent -> vertx.eventBus().request(Addresses.PRESENCE_DISCONNECTED,
                new ClientDisconnected(agent.clientId(), ClientRole.AGENT).toJson())
            .compose(v -> offline.future())
            .map(change -> {
              test.verify(() -> {
                assertTrue(shows(change.changed(), agent.clientId(), false), "changed shows it offline");
                assertTrue(shows(change.agents(), agent.clientId(), false), "the full list shows it offline");
                assertEquals(2, publications.size(), "one publication per change: " + publications);
                assertTrue(shows(publications.get(0).changed(), agent.clientId(), true));
              });
              return change;
            }))
        .onComplete(test.succeedingThenComplete());
  }

  @Test
  void anAgentIsLookedUpById(Vertx vertx, VertxTestContext test) {
    deploy(vertx, new JsonObject())
        .compose(v -> register(vertx, ClientRole.AGENT, "Known", null))
        .compose(agent -> lookUp(vertx, agent.clientId()).map(known -> {
          test.verify(() -> {
            assertTrue(known.known());
            assertEquals("Known", known.agent().getString(Fields.AGENT_NAME));
            assertTrue(known.agent().getBoolean(Fields.IS_ONLINE));
          });
          return known;
        }))
        .compose(v -> lookUp(vertx, "agent_00000000"))
        .onComplete(test.succeeding(unknown -> test.verify(() -> {
          assertFalse(unknown.known());
          test.completeNow();
        })));
  }

  private static Future<AgentLookup> lookUp(Vertx vertx, String agentId) {
    return vertx.eventBus().<JsonObject>request(Addresses.PRESENCE_AGENT, new AgentQuery(agentId).toJson())
        .map(reply -> AgentLookup.fromJson(reply.body()));
  }

  /** Sweeps are sent until one finds the agent's last PONG older than the tiny timeout; a PONG brings it back. */
  @Test
  void theSweepMarksAnAgentWithAnOldPongOfflineAndAPongBringsItBack(Vertx vertx, VertxTestContext test) {
    deploy(vertx, new JsonObject().put("AGENT_INACTIVITY_TIMEOUT", 0.05))
        .compose(v -> register(vertx, ClientRole.AGENT, "Silent", null))
        .compose(agent -> {
          Future<PresenceChanged> offline = nextChange(vertx, agent.clientId(), false);
          long sweeps = vertx.setPeriodic(20, id -> vertx.eventBus().send(Addresses.PRESENCE_SWEEP, new JsonObject()));
          return offline.andThen(done -> vertx.cancelTimer(sweeps)).compose(silenced -> {
            Future<PresenceChanged> back = nextChange(vertx, agent.clientId(), true);
            vertx.eventBus().send(Addresses.PRESENCE_PONG,
                new PongReceived(agent.clientId(), ClientRole.AGENT).toJson());
            return back;
          });
        })
        .onComplete(test.succeedingThenComplete());
  }

  /** The oldest survivor's cleanup: an agent recorded on an instance that is no longer a member goes offline. */
  @Test
  void anAgentOfADepartedInstanceIsPublishedOffline(Vertx vertx, VertxTestContext test) {
    String orphanId = "agent_0ff1ce00";
    JsonObject orphan = new JsonObject().put(Fields.AGENT_ID, orphanId).put(Fields.AGENT_NAME, "Orphan")
        .put(Fields.IS_ONLINE, true).put(Fields.LAST_SEEN, "2026-01-01T00:00:00")
        .put(AgentRecords.NODE_ID, "gone").put(AgentRecords.CONNECTED, true).put(AgentDirectory.REVISION, 1);
    Future<PresenceChanged> offline = nextChange(vertx, orphanId, false);
    SharedDataPresenceStore.open(vertx)
        .compose(store -> store.putAgent(orphan))
        .compose(v -> deploy(vertx, new JsonObject()))
        .onSuccess(v -> vertx.eventBus().send(Addresses.PRESENCE_NODE_LEFT, new NodeLeft("gone").toJson()))
        .compose(v -> offline)
        .onComplete(test.succeedingThenComplete());
  }
}
