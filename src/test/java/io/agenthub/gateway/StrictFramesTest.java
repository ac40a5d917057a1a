package io.agenthub.gateway;

import static io.agenthub.support.Messages.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agenthub.protocol.StrictJson;
import io.agenthub.support.HubExtension;
import io.agenthub.support.Integration;
import io.agenthub.support.WsClient;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 11, defect 2, on a whole hub: too-deep JSON is refused with an ERROR before it is read, never reaches
 * RabbitMQ, and the socket keeps working. The other strict-frame rules (not-quite-JSON, invalid UTF-8, reserved bits)
 * are checked on the gateway alone ({@code gateway.policy.StrictFramesBusTest}).
 */
@Integration
class StrictFramesTest {
  @RegisterExtension
  static final HubExtension HUB = HubExtension.perClass("strict-frames", new JsonObject());

  @Test
  void tooDeepJsonIsRefusedAtOnceAndNothingIsForwarded() throws Exception {
    try (WsClient client = WsClient.register(HUB.port(), "frontend", "Deep")) {
      String deep = "[".repeat(950) + "]".repeat(950);
      client.sendText("{\"message_type\":\"TEXT\",\"text_payload\":\"deep\",\"message_id\":\"m-deep\",\"x\":"
          + deep + "}");
      JsonObject answer = client.next("ERROR");
      assertEquals("TOO_DEEP", answer.getString("error_code"), "answered " + answer);
      assertTrue(answer.getString("text_payload").contains(String.valueOf(StrictJson.MAX_DEPTH)));
      assertNull(answer.getString("in_reply_to_message_id"), "the frame was not read, so it has no message id");
      client.send(text("shallow"));
      assertEquals("shallow", HUB.rabbit().takeJson("broker_input_queue", WsClient.TIMEOUT).getString("text_payload"),
          "the deep message was not forwarded, the next one was");
      client.sendText("{\"message_type\":\"PING\"}");
      client.next("PONG");
    }
  }
}
