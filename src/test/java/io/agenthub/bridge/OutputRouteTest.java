package io.agenthub.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.agenthub.bus.AgentLookup;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The routing decision alone: the contract's order of routes for a message from broker_output_queue. */
class OutputRouteTest {
  private static final Set<String> ONLINE = Set.of("agent_0000000a");

  private static JsonObject message(String receiver) {
    return new JsonObject().put("message_type", "TEXT").put("message_id", "m-1").put("sender_id", "web_00000001")
        .put("receiver_id", receiver).put("text_payload", "hi");
  }

  private static OutputRoute decide(JsonObject message) {
    return OutputRoute.decide(message, ONLINE::contains);
  }

  @Test
  void anOnlineAgentGetsItInItsQueue() {
    assertEquals(new OutputRoute(OutputRoute.Kind.AGENT_QUEUE, "agent_0000000a", null),
        decide(message("agent_0000000a")));
  }

  @Test
  void anAgentNotKnownOnlineHereIsLookedUpInPresence() {
    assertEquals(new OutputRoute(OutputRoute.Kind.ASK_PRESENCE, "agent_0000000b", null),
        decide(message("agent_0000000b")));
  }

  @Test
  void presenceDecidesBetweenTheAgentsQueueAnOfflineErrorAndTheClientRoute() {
    JsonObject message = message("agent_0000000b").put("_client_id", "web_00000002");
    JsonObject agent = new JsonObject().put("agent_id", "agent_0000000b").put("agent_name", "Sleepy");
    assertEquals(new OutputRoute(OutputRoute.Kind.AGENT_QUEUE, "agent_0000000b", null),
        OutputRoute.afterLookup(message, new AgentLookup(true, agent.copy().put("is_online", true))));
    assertEquals(new OutputRoute(OutputRoute.Kind.AGENT_OFFLINE, "web_00000002", "Sleepy"),
        OutputRoute.afterLookup(message, new AgentLookup(true, agent.copy().put("is_online", false))),
        "the hub's stamp names the sender to tell");
    assertEquals(new OutputRoute(OutputRoute.Kind.AGENT_OFFLINE, "web_00000001", "Sleepy"),
        OutputRoute.afterLookup(message("agent_0000000b"), new AgentLookup(true, agent.put("is_online", false))),
        "without the stamp, sender_id");
    assertEquals(new OutputRoute(OutputRoute.Kind.CLIENT, "agent_0000000b", null),
        OutputRoute.afterLookup(message, new AgentLookup(false, null)),
        "an agent nobody knows is tried as a socket, and dead-lettered if none holds it");
  }

  @Test
  void aBrokerErrorGoesToTheClientItCarries() {
    JsonObject error = message("someone-else").put("message_type", "ERROR").put("_client_id", "web_00000002");
    assertEquals(new OutputRoute(OutputRoute.Kind.CLIENT, "web_00000002", null), decide(error));
  }

  @Test
  void otherwiseTheReceiverFallingBackToTheClientIdElseNothing() {
    assertEquals(new OutputRoute(OutputRoute.Kind.CLIENT, "web_00000003", null), decide(message("web_00000003")));
    assertEquals(new OutputRoute(OutputRoute.Kind.CLIENT, "web_00000002", null),
        decide(message("").put("_client_id", "web_00000002")));
    assertEquals(new OutputRoute(OutputRoute.Kind.UNDELIVERABLE, null, null), decide(message("")));
  }
}
