package io.agenthub.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agenthub.bus.Addresses;
import io.agenthub.bus.AgentList;
import io.agenthub.bus.AgentLookup;
import io.agenthub.bus.AgentQuery;
import io.agenthub.bus.AgentsQuery;
import io.agenthub.bus.AwayQuery;
import io.agenthub.bus.AwayStatus;
import io.agenthub.bus.ClientDisconnected;
import io.agenthub.bus.Failures;
import io.agenthub.bus.NodeLeft;
import io.agenthub.bus.PongReceived;
import io.agenthub.bus.PresenceChanged;
import io.agenthub.bus.PresenceReplication;
import io.agenthub.bus.RegisterReply;
import io.agenthub.bus.RegisterRequest;
import io.agenthub.cluster.Membership;
import io.agenthub.config.Setting;
import io.agenthub.protocol.ClientRole;
import io.agenthub.protocol.Fields;
import io.agenthub.protocol.Timestamps;
import io.agenthub.support.ManualClock;
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
import java.time.Duration;
import java.time.Instant;
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

  private final ManualClock clock = new ManualClock(Instant.parse("2026-05-01T08:00:00.000250Z"));

  private Future<String> deploy(Vertx vertx, JsonObject overrides) {
    return vertx.deployVerticle(new PresenceVerticle(Membership.single(NODE), clock),
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

  /**
   * Driven by the hub's clock, not by waiting: a sweep finds the agent online until its last sign of life is more
   * than AGENT_INACTIVITY_TIMEOUT (15 s) old, a PONG restarts the count, and a PONG brings a silenced agent back.
   * Presence handles its messages in order, so a lookup sent after a PONG or a sweep sees what that decided.
   */
  @Test
  void anAgentWithoutAPongForTheInactivityTimeoutGoesOfflineAtTheNextSweep(Vertx vertx, VertxTestContext test) {
    deploy(vertx, new JsonObject())
        .compose(v -> register(vertx, ClientRole.AGENT, "Silent", null))
        .compose(agent -> {
          clock.advance(Duration.ofSeconds(10));
          pong(vertx, agent.clientId());
          return lookUp(vertx, agent.clientId()).map(agent);
        })
        .compose(agent -> {
          clock.advance(Duration.ofSeconds(15));
          return sweepThenLookUp(vertx, agent.clientId()).map(lookup -> {
            test.verify(() -> assertTrue(lookup.agent().getBoolean(Fields.IS_ONLINE), "15 s after its PONG"));
            return agent;
          });
        })
        .compose(agent -> {
          clock.advance(Duration.ofMillis(1));
          Future<PresenceChanged> offline = nextChange(vertx, agent.clientId(), false);
          vertx.eventBus().send(Addresses.PRESENCE_SWEEP, new JsonObject());
          return offline.compose(silenced -> {
            test.verify(() -> assertEquals(Timestamps.format(clock.now()),
                silenced.changed().getJsonObject(0).getString(Fields.LAST_SEEN), "last seen when it went offline"));
            Future<PresenceChanged> back = nextChange(vertx, agent.clientId(), true);
            pong(vertx, agent.clientId());
            return back;
          });
        })
        .onComplete(test.succeedingThenComplete());
  }

  private static void pong(Vertx vertx, String agentId) {
    vertx.eventBus().send(Addresses.PRESENCE_PONG, new PongReceived(agentId, ClientRole.AGENT).toJson());
  }

  private static Future<AgentLookup> sweepThenLookUp(Vertx vertx, String agentId) {
    vertx.eventBus().send(Addresses.PRESENCE_SWEEP, new JsonObject());
    return lookUp(vertx, agentId);
  }

  @Test
  void aRegistrationIsLastSeenAtTheClocksTime(Vertx vertx, VertxTestContext test) {
    Future<PresenceChanged> published = nextChange(vertx, change -> true);
    deploy(vertx, new JsonObject())
        .compose(v -> register(vertx, ClientRole.AGENT, "Punctual", null))
        .compose(agent -> published)
        .onComplete(test.succeeding(change -> test.verify(() -> {
          assertEquals("2026-05-01T08:00:00.00025", change.changed().getJsonObject(0).getString(Fields.LAST_SEEN));
          test.completeNow();
        })));
  }

  /**
   * The gateway asks for the list once per registering client: one that holds the current version is told so, and is
   * sent no list, until a change raises the version.
   */
  @Test
  void anAskerHoldingTheCurrentVersionOfTheListIsSentNoList(Vertx vertx, VertxTestContext test) {
    deploy(vertx, new JsonObject())
        .compose(v -> register(vertx, ClientRole.AGENT, "Listed", null))
        .compose(agent -> agents(vertx, 0).compose(first -> agents(vertx, first.version()).compose(second -> {
          test.verify(() -> {
            assertTrue(shows(first.agents(), agent.clientId(), true), "an asker holding no version gets the list");
            assertTrue(first.version() > 0);
            assertTrue(second.unchanged(), "nothing changed: no list");
            assertEquals(first.version(), second.version());
          });
          Future<PresenceChanged> offline =
              nextChange(vertx, change -> shows(change.changed(), agent.clientId(), false));
          return vertx.eventBus().request(Addresses.PRESENCE_DISCONNECTED,
                  new ClientDisconnected(agent.clientId(), ClientRole.AGENT).toJson())
              .compose(done -> offline)
              .compose(change -> agents(vertx, first.version()))
              .map(third -> {
                test.verify(() -> {
                  assertTrue(third.version() > first.version(), "a change raises the version");
                  assertTrue(shows(third.agents(), agent.clientId(), false), "and the new list is sent");
                });
                return third;
              });
        })))
        .onComplete(test.succeedingThenComplete());
  }

  private static Future<AgentList> agents(Vertx vertx, long knownVersion) {
    return vertx.eventBus()
        .<JsonObject>request(Addresses.PRESENCE_AGENTS, new AgentsQuery(false, knownVersion).toJson())
        .map(reply -> AgentList.fromJson(reply.body()));
  }

  /** An agent offline for longer than OFFLINE_AGENT_RETENTION is forgotten at the next sweep, by the hub's clock. */
  @Test
  void anAgentOfflineLongerThanTheRetentionIsForgottenAtTheNextSweep(Vertx vertx, VertxTestContext test) {
    deploy(vertx, new JsonObject().put("OFFLINE_AGENT_RETENTION", 60))
        .compose(v -> register(vertx, ClientRole.AGENT, "Gone", null))
        .compose(agent -> vertx.eventBus().request(Addresses.PRESENCE_DISCONNECTED,
            new ClientDisconnected(agent.clientId(), ClientRole.AGENT).toJson()).map(agent))
        .compose(agent -> {
          clock.advance(Duration.ofSeconds(61));
          Future<JsonArray> forgotten = nextForgotten(vertx);
          vertx.eventBus().send(Addresses.PRESENCE_SWEEP, new JsonObject());
          return forgotten.compose(list -> vertx.eventBus().<JsonObject>request(Addresses.PRESENCE_AGENTS,
                  new AgentsQuery(false).toJson()))
              .map(reply -> {
                test.verify(() -> assertFalse(shows(AgentList.fromJson(reply.body()).agents(), agent.clientId(), false),
                    "no longer listed"));
                return reply;
              });
        })
        .onComplete(test.succeedingThenComplete());
  }

  /** A record written by a later version, with a key this one does not know, is still forgotten when its time comes. */
  @Test
  void aStoredRecordWithKeysOfALaterVersionIsForgottenToo(Vertx vertx, VertxTestContext test) {
    String agentId = "agent_1a7e0000";
    JsonObject later = new JsonObject().put("agent_id", agentId).put("agent_name", "Future")
        .put("is_online", false).put("last_seen", "2026-01-01T00:00:00").put("node_id", "gone")
        .put("connected", false).put("revision", 3).put("capabilities", new JsonObject().put("chat", true));
    Future<JsonArray> forgotten = nextForgotten(vertx);
    vertx.sharedData().<String, JsonObject>getAsyncMap(SharedDataPresenceStore.AGENTS_MAP)
        .compose(agents -> agents.put(agentId, later))
        .compose(v -> deploy(vertx, new JsonObject()))
        .onSuccess(v -> vertx.eventBus().send(Addresses.PRESENCE_SWEEP, new JsonObject()))
        .compose(v -> forgotten)
        .onComplete(test.succeeding(list -> test.verify(() -> {
          assertEquals(agentId, list.getJsonObject(0).getString(Fields.AGENT_ID));
          assertEquals(3, list.getJsonObject(0).getLong("revision"));
          test.completeNow();
        })));
  }

  private static Future<JsonArray> nextForgotten(Vertx vertx) {
    Promise<JsonArray> seen = Promise.promise();
    MessageConsumer<JsonObject> consumer = vertx.eventBus().consumer(Addresses.PRESENCE_REPLICATION);
    consumer.handler(msg -> {
      PresenceReplication replication = PresenceReplication.fromJson(msg.body());
      if (replication.forgotten() != null && !replication.forgotten().isEmpty()) {
        consumer.unregister();
        seen.tryComplete(replication.forgotten());
      }
    });
    return consumer.completion().compose(registered -> seen.future());
  }

  /** A frontend that went away may resume until the end of CLIENT_RESUME_WINDOW (120 s), by the hub's clock. */
  @Test
  void aFrontendThatWentAwayMayResumeUntilItsWindowEnds(Vertx vertx, VertxTestContext test) {
    deploy(vertx, new JsonObject())
        .compose(v -> register(vertx, ClientRole.FRONTEND, "Tab", null))
        .compose(frontend -> vertx.eventBus().request(Addresses.PRESENCE_DISCONNECTED,
            new ClientDisconnected(frontend.clientId(), ClientRole.FRONTEND).toJson()).map(frontend))
        .compose(frontend -> vertx.eventBus().<JsonObject>request(Addresses.PRESENCE_AWAY,
            new AwayQuery(frontend.clientId()).toJson()))
        .onComplete(test.succeeding(reply -> test.verify(() -> {
          AwayStatus status = AwayStatus.fromJson(reply.body());
          assertTrue(status.away());
          assertEquals(clock.now().plusSeconds(120).toEpochMilli(), status.until());
          test.completeNow();
        })));
  }

  /**
   * The delivery keys a frontend's socket was written travel with its disconnect into the away record, and come back
   * with the resumed registration (twice: each socket hands its keys on), so the resumed socket is guarded against
   * them; a registration that does not resume gets none.
   */
  @Test
  void theKeysOfAnAwayFrontendComeBackWhenItResumes(Vertx vertx, VertxTestContext test) {
    deploy(vertx, new JsonObject())
        .compose(v -> register(vertx, ClientRole.FRONTEND, "Tab", null))
        .compose(frontend -> disconnect(vertx, frontend.clientId(), List.of("k-1", "k-2")))
        .compose(id -> register(vertx, ClientRole.FRONTEND, "Tab", id))
        .compose(resumed -> {
          test.verify(() -> {
            assertTrue(resumed.resumed());
            assertEquals(List.of("k-1", "k-2"), resumed.recentKeys());
          });
          return disconnect(vertx, resumed.clientId(), List.of("k-2", "k-3"));
        })
        .compose(id -> register(vertx, ClientRole.FRONTEND, "Tab", id))
        .compose(again -> {
          test.verify(() -> assertEquals(List.of("k-2", "k-3"), again.recentKeys()));
          return register(vertx, ClientRole.FRONTEND, "Other", null);
        })
        .onComplete(test.succeeding(fresh -> test.verify(() -> {
          assertEquals(List.of(), fresh.recentKeys());
          test.completeNow();
        })));
  }

  private static Future<String> disconnect(Vertx vertx, String clientId, List<String> recentKeys) {
    return vertx.eventBus().request(Addresses.PRESENCE_DISCONNECTED,
        new ClientDisconnected(clientId, ClientRole.FRONTEND, recentKeys).toJson()).map(clientId);
  }

  /**
   * The oldest survivor's cleanup: an agent recorded on an instance that is no longer a member goes offline. The
   * record is stored as every version has written it, so this also reads a record of an earlier version.
   */
  @Test
  void anAgentOfADepartedInstanceIsPublishedOffline(Vertx vertx, VertxTestContext test) {
    String orphanId = "agent_0ff1ce00";
    JsonObject orphan = new JsonObject().put("agent_id", orphanId).put("agent_name", "Orphan")
        .put("is_online", true).put("last_seen", "2026-01-01T00:00:00")
        .put("node_id", "gone").put("connected", true).put("revision", 1);
    Future<PresenceChanged> offline = nextChange(vertx, orphanId, false);
    vertx.sharedData().<String, JsonObject>getAsyncMap(SharedDataPresenceStore.AGENTS_MAP)
        .compose(agents -> agents.put(orphanId, orphan))
        .compose(v -> deploy(vertx, new JsonObject()))
        .onSuccess(v -> vertx.eventBus().send(Addresses.PRESENCE_NODE_LEFT, new NodeLeft("gone").toJson()))
        .compose(v -> offline)
        .onComplete(test.succeedingThenComplete());
  }
}
