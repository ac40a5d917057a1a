package io.agenthub.companion;

import io.agenthub.support.TestBroker;

/** The round trip through the broker the hub embeds, as on a machine without RabbitMQ. */
@TestBroker.On(TestBroker.EMBEDDED)
class CompanionRoundTripOnEmbeddedBrokerTest extends CompanionRoundTripTest {
}
