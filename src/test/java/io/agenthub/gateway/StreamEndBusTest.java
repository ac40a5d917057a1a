package io.agenthub.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.agenthub.bus.Failures;
import io.agenthub.bus.StreamAddresses;
import io.agenthub.bus.StreamEvent;
import io.agenthub.bus.StreamFinish;
import io.agenthub.support.GatewayFixture;
import io.agenthub.support.WsClient;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An agent's STREAM_END on the gateway alone, the streams verticle stubbed: once the end is kept the agent gets the
 * STREAM_END its viewers get, which tells it the end will not be lost with its connection; a refused end gets the
 * refusal instead.
 */
class StreamEndBusTest {
  private static final String STREAM = "st_" + "ab".repeat(16);

  @RegisterExtension
  static final GatewayFixture GATEWAY = GatewayFixture.perClass(new JsonObject());

  @Test
  void anEndTheStreamsKeptIsConfirmedToTheAgentAsItsViewersSeeIt() throws Exception {
    var stub = GATEWAY.vertx().eventBus().<JsonObject>localConsumer(StreamAddresses.STREAMS_END, msg -> {
      StreamFinish finish = StreamFinish.fromJson(msg.body());
      msg.reply(new StreamEvent.Ended(finish.reason(), finish.chunks(), null, null).toJson());
    });
    try (WsClient agent = streamingAgent("Finisher")) {
      agent.send(end(4));
      JsonObject confirmed = agent.next("STREAM_END");
      assertEquals(STREAM, confirmed.getString("stream_id"));
      assertEquals("complete", confirmed.getString("reason"));
      assertEquals(4L, confirmed.getLong("chunks"));
    } finally {
      stub.unregister();
    }
  }

  @Test
  void aRefusedEndIsAnsweredWithTheRefusalAndNoConfirmation() throws Exception {
    var stub = GATEWAY.vertx().eventBus().<JsonObject>localConsumer(StreamAddresses.STREAMS_END,
        msg -> msg.fail(Failures.STREAM_REFUSED, new JsonObject().put("error_code", "STREAM_OUT_OF_ORDER")
            .put("text", "The hub kept 3 chunks of " + STREAM + ", not 4").encode()));
    try (WsClient agent = streamingAgent("Hasty")) {
      agent.send(end(4));
      JsonObject refusal = agent.next();
      assertEquals("ERROR", refusal.getString("message_type"), refusal::encode);
      assertEquals("STREAM_OUT_OF_ORDER", refusal.getString("error_code"));
      assertEquals(STREAM, refusal.getString("stream_id"));
    } finally {
      stub.unregister();
    }
  }

  private static WsClient streamingAgent(String name) throws Exception {
    return WsClient.register(GATEWAY.port(), new JsonObject().put("message_type", "REGISTER_AGENT")
        .put("agent_name", name).put("streams", true));
  }

  private static JsonObject end(long seq) {
    return new JsonObject().put("message_type", "STREAM_END").put("stream_id", STREAM).put("seq", seq)
        .put("reason", "complete");
  }
}
