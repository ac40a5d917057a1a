package io.agenthub.companion;

import static io.agenthub.support.Messages.text;

import io.agenthub.support.Await;
import io.agenthub.support.TestBroker;
import io.agenthub.support.WsClient;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The round trip through the real RabbitMQ, plus an outage only RabbitMQ can stage: rabbitmqctl drops every
 * connection, as a broker restart would (the embedded broker lives and dies with its hub, so it has no such outage).
 */
@TestBroker.On(TestBroker.RABBITMQ)
class CompanionRoundTripOnRabbitMqTest extends CompanionRoundTripTest {

  @Test
  void companionsCarryOnAfterRabbitMqDropsEveryConnection() throws Exception {
    try (WsClient frontend = WsClient.register(HUB.port(), "frontend", "Patient")) {
      startEchoAgentSeenBy(frontend);
      HUB.rabbit().closeAllConnections();
      Await.until("a round trip works again", Duration.ofSeconds(30), () -> {
        JsonObject question = text("are you back?").put("sender_id", frontend.id()).put("receiver_id", "server");
        frontend.send(question);
        return !frontend.collect(isReplyTo(question), Duration.ofSeconds(2)).isEmpty();
      });
    }
  }
}
