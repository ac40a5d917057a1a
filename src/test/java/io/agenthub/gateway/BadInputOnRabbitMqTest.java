package io.agenthub.gateway;

import io.agenthub.support.TestBroker;

@TestBroker.On(TestBroker.RABBITMQ)
class BadInputOnRabbitMqTest extends BadInputTest {
}
