package io.agenthub.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * Test lane "integration": A whole hub on a real RabbitMQ (or the hub's embedded broker) with real WebSockets. Needs
 * RabbitMQ at 127.0.0.1:5672; runs in `./mvnw verify` (failsafe), never in `./mvnw test`. The fast lane ({@code
 * ./mvnw test}) runs only untagged tests: unit tests and single verticles over a stubbed bus.
 */
@Inherited
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("integration")
public @interface Integration {
}
