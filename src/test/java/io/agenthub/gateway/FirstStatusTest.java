package io.agenthub.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.agenthub.bus.Addresses;
import io.agenthub.bus.AgentList;
import io.agenthub.bus.AgentsQuery;
import io.agenthub.protocol.ClientRole;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The first status of registering clients against a stand-in for presence: the gateway tells presence which version
 * of the list it holds, reuses its frame while presence says it is current, and encodes a new one when it is not.
 */
@ExtendWith(VertxExtension.class)
class FirstStatusTest {
  private static final RegisteredClient FRONTEND = new RegisteredClient(ClientRole.FRONTEND, "web_00000001", "Tab",
      new RegistrationOptions(false, false, false, false, null), 0);

  private final List<Long> knownVersions = new ArrayList<>();
  private final Deque<AgentList> answers = new ArrayDeque<>();

  @Test
  void theFrameIsEncodedOncePerVersionOfTheList(Vertx vertx, VertxTestContext test) {
    vertx.eventBus().<JsonObject>localConsumer(Addresses.PRESENCE_AGENTS, msg -> {
      knownVersions.add(AgentsQuery.fromJson(msg.body()).knownVersion());
      msg.reply(answers.removeFirst().toJson());
    });
    answers.add(new AgentList(agents("agent_00000001"), new JsonArray(), 3));
    answers.add(AgentList.unchangedAt(3));
    answers.add(new AgentList(agents("agent_00000001", "agent_00000002"), new JsonArray(), 4));
    FirstStatus status = new FirstStatus(vertx.eventBus(), new AgentDetailsView());
    status.current().compose(first -> status.current().compose(second -> status.current().map(third -> {
      test.verify(() -> {
        assertEquals(List.of(0L, 3L, 3L), knownVersions, "each ask names the version held");
        assertSame(first, second, "an unchanged list is not encoded again");
        assertNotSame(second, third);
        assertEquals(1, agentsIn(first.textFor(frontend(), new AgentDetailsView())));
        assertEquals(2, agentsIn(third.textFor(frontend(), new AgentDetailsView())));
      });
      return third;
    }))).onComplete(test.succeedingThenComplete());
  }

  private static int agentsIn(String frame) {
    return new JsonObject(frame).getJsonArray("agents").size();
  }

  private static ClientSession frontend() {
    ClientSession session = new ClientSession(new FakeClientSocket(), "conn-1", new TokenBucket(1, 0), () -> 0);
    session.registered(FRONTEND);
    return session;
  }

  private static JsonArray agents(String... ids) {
    JsonArray agents = new JsonArray();
    for (String id : ids) {
      agents.add(new JsonObject().put("agent_id", id).put("agent_name", id).put("is_online", true)
          .put("last_seen", "2026-12-07T00:00:00"));
    }
    return agents;
  }
}
