package io.agenthub.protocol;

import static io.agenthub.support.ProtocolSpec.Publisher.ANYONE;
import static io.agenthub.support.ProtocolSpec.Publisher.HUB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.agenthub.support.ProtocolSpec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * docs/asyncapi.yaml against the code: every error code and message type is described, the hub's frame builders
 * produce frames the spec accepts, and the spec refuses frames that break the contract (so the integration tests'
 * validation can fail at all).
 */
class ProtocolSpecTest {
  private static final ProtocolSpec SPEC = ProtocolSpec.get();
  private static final String TIMESTAMP = "2025-04-08T10:00:00.123456";
  private static final Instant AT = Timestamps.parse(TIMESTAMP);
  private static final String JSON = "application/json";

  @Test
  void errorCodeEnumIsExactlyTheHubsErrorCodes() {
    Set<String> codes = Stream.of(ErrorCode.values()).map(Enum::name).collect(Collectors.toCollection(TreeSet::new));
    assertEquals(codes, SPEC.errorCodes(), "components.schemas.ErrorCode.enum in docs/asyncapi.yaml");
  }

  @Test
  void everyMessageTypeIsDescribedAndNoOther() {
    Set<String> types = Stream.of(MessageType.values()).map(Enum::name).collect(Collectors.toCollection(TreeSet::new));
    assertEquals(types, SPEC.messageTypes(), "message types carried by the operations of docs/asyncapi.yaml");
  }

  @Test
  void documentIsAsyncApi3WithOneOperationPerRoleAndDirection() {
    assertEquals("3.0.0", SPEC.document().getString("asyncapi"));
    for (String role : new String[] {null, "frontend", "agent", "broker"}) {
      assertTrue(SPEC.operationIds().contains(ProtocolSpec.hubSendsTo(role)), ProtocolSpec.hubSendsTo(role));
      assertTrue(SPEC.operationIds().contains(ProtocolSpec.hubReceivesFrom(role)), ProtocolSpec.hubReceivesFrom(role));
    }
  }

  /** AsyncAPI 3: an operation's messages are messages of its own channel, and every local $ref resolves. */
  @Test
  void everyReferenceResolvesAndOperationsUseTheirChannelsMessages() {
    List<String> refs = new ArrayList<>();
    collectRefs(SPEC.document(), refs);
    refs.forEach(ref -> SPEC.at(ref.substring(1)));
    JsonObject operations = SPEC.document().getJsonObject("operations");
    for (String id : operations.fieldNames()) {
      String channel = operations.getJsonObject(id).getJsonObject("channel").getString("$ref");
      for (Object message : operations.getJsonObject(id).getJsonArray("messages")) {
        String ref = ((JsonObject) message).getString("$ref");
        assertTrue(ref.startsWith(channel + "/messages/"), id + " uses " + ref + ", not a message of " + channel);
      }
    }
  }

  @Test
  void examplesMatchTheirOperations() {
    JsonObject messages = SPEC.document().getJsonObject("components").getJsonObject("messages");
    Map<String, String> operationOf = Map.ofEntries(
        Map.entry("AgentStreamStart", ProtocolSpec.hubReceivesFrom("agent")),
        Map.entry("AgentStreamChunk", ProtocolSpec.hubReceivesFrom("agent")),
        Map.entry("RegisterFrontend", ProtocolSpec.hubReceivesFrom(null)),
        Map.entry("RegisterAgent", ProtocolSpec.hubReceivesFrom(null)),
        Map.entry("RegisterBroker", ProtocolSpec.hubReceivesFrom(null)),
        Map.entry("RegisterFrontendResponse", ProtocolSpec.hubSendsTo("frontend")),
        Map.entry("ClientChatMessage", ProtocolSpec.hubReceivesFrom("frontend")),
        Map.entry("HubError", ProtocolSpec.hubSendsTo("frontend")),
        Map.entry("AgentStatusUpdate", ProtocolSpec.hubSendsTo("broker")),
        Map.entry("AgentCardUpdate", ProtocolSpec.hubReceivesFrom("agent")),
        Map.entry("DetailedAgentStatusUpdate", ProtocolSpec.hubSendsTo("frontend")));
    int checked = 0;
    for (String name : messages.fieldNames()) {
      JsonArray examples = messages.getJsonObject(name).getJsonArray("examples", new JsonArray());
      for (Object example : examples) {
        String operation = operationOf.get(name);
        assertTrue(operation != null, "example of " + name + " has no operation to check it against");
        SPEC.checkFrame(operation, ((JsonObject) example).getJsonObject("payload"));
        checked++;
      }
    }
    assertTrue(checked >= 8, "examples checked: " + checked);
  }

  @ParameterizedTest
  @EnumSource(ClientRole.class)
  void theHubsOwnFramesMatchTheSpec(ClientRole role) {
    String toRole = ProtocolSpec.hubSendsTo(role.connectionType());
    SPEC.checkFrame(ProtocolSpec.hubSendsTo(null), Frames.registrationResponse(role, ClientIds.newId(role), "Name"));
    SPEC.checkFrame(toRole, Frames.registrationResponse(role, ClientIds.newId(role), "Name"));
    SPEC.checkFrame(ProtocolSpec.hubSendsTo(null),
        Frames.error(Frames.nameRequiredText(role), ErrorCode.NAME_REQUIRED));
    SPEC.checkFrame(toRole, Frames.serverHeartbeat(AT));
    SPEC.checkFrame(toRole, Frames.serverPong());
    SPEC.checkFrame(toRole, Frames.forwardFailed(ClientIds.newId(role), "m-1", ErrorCode.FORWARD_FAILED, AT));
    SPEC.checkFrame(toRole, Frames.forwardFailed(ClientIds.newId(role), "m-1", ErrorCode.FORWARD_OUTCOME_UNKNOWN, AT));
    SPEC.checkFrame(toRole, Frames.agentOffline("agent_0000abcd", "Sleepy", ClientIds.newId(role), null, AT));
    SPEC.checkFrame(toRole, Frames.onlyBrokerMayRequestStatus());
    SPEC.checkFrame(toRole, Frames.rateLimited("Rate limit of 5 frames per second exceeded; frame dropped",
        200_000_000));
    if (role.watchesPresence()) {
      SPEC.checkFrame(toRole, Frames.agentStatusUpdate(new JsonArray().add(agent(true))));
      SPEC.checkFrame(toRole, Frames.numberedStatusUpdate(new JsonArray().add(agent(false)), false, 7));
    } else {
      SPEC.checkFrame(toRole, Frames.ping());
    }
  }

  /** Protocol extension "streamed replies": every stream frame the hub builds, to agents and to viewers. */
  @Test
  void streamFramesTheHubBuildsMatchTheSpec() {
    String streamId = StreamIds.generate();
    StreamHeader header = new StreamHeader(streamId, "agent_0000abcd", "Echo", "web_0123abcd", "m-1",
        Timestamps.format(AT));
    SPEC.checkFrame(ProtocolSpec.hubSendsTo("agent"), StreamFrames.started(streamId, "m-1", 0));
    SPEC.checkFrame(ProtocolSpec.hubSendsTo("agent"), StreamFrames.cancel(streamId, "m-1"));
    SPEC.checkFrame(ProtocolSpec.hubSendsTo("agent"), StreamFrames.error(
        new ProtocolError(ErrorCode.STREAM_OUT_OF_ORDER, "expected seq 3"), streamId, null));
    SPEC.checkFrame(ProtocolSpec.hubSendsTo("agent"), StreamFrames.error(
        new ProtocolError(ErrorCode.STREAM_NOT_ASKED, "not handed to you"), null, "m-9"));
    for (String viewer : List.of("frontend", "broker")) {
      String toViewer = ProtocolSpec.hubSendsTo(viewer);
      SPEC.checkFrame(toViewer, StreamFrames.start(header));
      SPEC.checkFrame(toViewer, new JsonObject(StreamFrames.chunk(streamId, 4, 9, "merged words")));
      SPEC.checkFrame(toViewer, StreamFrames.end(streamId, StreamEndReason.COMPLETE, 10, null, null));
      SPEC.checkFrame(toViewer, StreamFrames.end(streamId, StreamEndReason.FAILED, 3, ErrorCode.STREAM_IDLE_TIMEOUT,
          "No chunk came from the agent for STREAM_IDLE_TIMEOUT"));
    }
    SPEC.checkQueueMessage("broker_input_queue", HUB,
        StreamFrames.finalReply(header, "Echo: hi", StreamEndReason.CANCELLED, Timestamps.format(AT)).encode(), null,
        JSON, 2);
  }

  @Test
  void chatMessagesAsStampedAndAsRelayedMatchTheSpec() {
    JsonObject fromClient = new JsonObject().put("message_type", "TEXT").put("text_payload", "hi")
        .put("custom", new JsonObject().put("kept", true));
    SPEC.checkFrame(ProtocolSpec.hubReceivesFrom("frontend"), fromClient);
    JsonObject stamped = ChatMessages.stampFromClient(fromClient.copy(), "web_0123abcd", ClientRole.FRONTEND, AT);
    SPEC.checkFrame(ProtocolSpec.hubSendsTo("frontend"), stamped);
    SPEC.checkQueueMessage("broker_input_queue", HUB, stamped.encode(), null, JSON, 2);
    JsonObject routed = stamped.copy().put("receiver_id", "agent_0000abcd");
    SPEC.checkQueueMessage("broker_output_queue", ANYONE, routed.encode(), null, JSON, 2);
    SPEC.checkQueueMessage("agent_queue_agent_0000abcd", HUB, routed.encode(),
        Map.of(Queues.DELIVERY_KEY_HEADER, "0123456789abcdef0123456789abcdef"), JSON, 2);
    SPEC.checkFrame(ProtocolSpec.hubSendsTo("agent"), ChatMessages.forClient(routed));
    SPEC.checkQueueMessage("hub_undeliverable", HUB, "not json at all", Map.of("x-hub-reason", "not a JSON object"),
        JSON, 2);
  }

  @Test
  void agentsPublishTheirRepliesToTheBrokerInputQueueUnstamped() {
    JsonObject reply = new JsonObject().put("message_type", "REPLY").put("message_id", "r-1")
        .put("sender_id", "agent_0000abcd").put("receiver_id", "web_0123abcd").put("text_payload", "Echo: hi")
        .put("send_timestamp", TIMESTAMP).put("in_reply_to_message_id", "m-1");
    SPEC.checkQueueMessage("broker_input_queue", ANYONE, reply.encode(), null, JSON, 2);
    assertQueueRefused("broker_input_queue", reply.encode(), null, 2, "_client_id");
  }

  @Test
  void framesThatBreakTheContractAreRefused() {
    String toFrontend = ProtocolSpec.hubSendsTo("frontend");
    assertRefused(toFrontend, Frames.registrationResponse(ClientRole.FRONTEND, "web_XYZ", "UI"), "pattern");
    assertRefused(toFrontend, Frames.registrationResponse(ClientRole.FRONTEND, "web_0123abcd", "UI")
        .put("message", "Welcome"), "/message");
    assertRefused(toFrontend, Frames.error("x", ErrorCode.INVALID_JSON).put("error_code", "SOMETHING_NEW"),
        "error_code");
    assertRefused(toFrontend, Frames.error("Please register", ErrorCode.NOT_REGISTERED), "text_payload");
    assertRefused(toFrontend, Frames.error("x", ErrorCode.INVALID_FIELD).put("extra", 1), "extra");
    assertRefused(toFrontend, Frames.serverHeartbeat(AT).put("timestamp", "yesterday"), "timestamp");
    assertRefused(toFrontend, Frames.agentStatusUpdate(new JsonArray().add(agent(true).put("node_id", "n1"))),
        "node_id");
    assertRefused(toFrontend, Frames.agentStatusUpdate(new JsonArray()).put("is_full_update", false),
        "is_full_update");
    assertRefused(toFrontend, Frames.ping(), "PING");
    assertRefused(ProtocolSpec.hubSendsTo("agent"), Frames.agentStatusUpdate(new JsonArray()), "AGENT_STATUS_UPDATE");
    assertRefused(toFrontend, new JsonObject().put("message_type", "REPLY").put("receiver_id", "web_0123abcd")
        .put("text_payload", "hi").put("_target_agent_id", "agent_0000abcd"), "_target_agent_id");
    JsonObject stamped = ChatMessages.stampFromClient(new JsonObject().put("message_type", "TEXT")
        .put("text_payload", "hi"), "agent_0000abcd", ClientRole.FRONTEND, AT);
    assertRefused(toFrontend, stamped, "pattern");

    String fromFrontend = ProtocolSpec.hubReceivesFrom("frontend");
    assertRefused(fromFrontend, new JsonObject().put("message_type", "TEXT"), "text_payload");
    assertRefused(fromFrontend, new JsonObject().put("message_type", "REQUEST_AGENT_STATUS"), "REQUEST_AGENT_STATUS");
    assertRefused(ProtocolSpec.hubReceivesFrom(null), new JsonObject().put("message_type", "REGISTER_AGENT")
        .put("agent_name", " "), "agent_name");
    assertRefused(ProtocolSpec.hubReceivesFrom(null), new JsonObject().put("message_type", "REGISTER_AGENT")
        .put("agent_name", "A").put("delivery", "websockets"), "delivery");
    assertRefused(ProtocolSpec.hubReceivesFrom(null), new JsonObject().put("message_type", "PING"), "PING");
  }

  @Test
  void queueMessagesThatBreakTheContractAreRefused() {
    JsonObject stamped = ChatMessages.stampFromClient(new JsonObject().put("message_type", "TEXT")
        .put("text_payload", "hi"), "web_0123abcd", ClientRole.FRONTEND, AT);
    assertQueueRefused("broker_input_queue", stamped.encode(), null, 1, "delivery mode");
    assertQueueRefused("broker_input_queue", stamped.copy().put("_broadcast", true).encode(), null, 2, "_broadcast");
    assertQueueRefused("hub_undeliverable", stamped.encode(), Map.of("x-hub-receiver", "web_0123abcd"), 2,
        "x-hub-reason");
  }

  private static JsonObject agent(boolean online) {
    return new JsonObject().put("agent_id", "agent_0000abcd").put("agent_name", "Echo").put("is_online", online)
        .put("last_seen", TIMESTAMP);
  }

  private static void assertRefused(String operation, JsonObject frame, String expectedInProblem) {
    Optional<String> problem = SPEC.problemWithFrame(operation, frame);
    assertTrue(problem.isPresent(), operation + " accepted " + frame.encode());
    assertTrue(problem.get().contains(expectedInProblem), "expected the problem to name " + expectedInProblem + ": "
        + problem.get());
  }

  private static void assertQueueRefused(String queue, String body, Map<String, Object> headers, int deliveryMode,
      String expectedInProblem) {
    try {
      SPEC.checkQueueMessage(queue, HUB, body, headers, JSON, deliveryMode);
    } catch (AssertionError e) {
      assertTrue(e.getMessage().contains(expectedInProblem), e.getMessage());
      return;
    }
    fail(queue + " accepted " + body);
  }

  private static void collectRefs(Object node, List<String> refs) {
    if (node instanceof JsonObject json) {
      for (String key : json.fieldNames()) {
        Object value = json.getValue(key);
        if ("$ref".equals(key) && value instanceof String ref) {
          refs.add(ref);
        } else {
          collectRefs(value, refs);
        }
      }
    } else if (node instanceof JsonArray array) {
      array.forEach(item -> collectRefs(item, refs));
    }
  }
}
