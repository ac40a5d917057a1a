package io.agenthub.gateway;

import io.agenthub.support.TestBroker;

@TestBroker.On(TestBroker.RABBITMQ)
class ProtocolContractOnRabbitMqTest extends ProtocolContractTest {
}
