package io.agenthub.gateway;

import io.agenthub.support.TestBroker;

@TestBroker.On(TestBroker.EMBEDDED)
class BadInputOnEmbeddedBrokerTest extends BadInputTest {
}
