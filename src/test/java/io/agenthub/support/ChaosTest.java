package io.agenthub.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * Test lane "chaos": The chaos suite's smoke runs: child hub JVMs, a private RabbitMQ node, faults injected under
 * load. Runs in `./mvnw verify` only. The fast lane ({@code ./mvnw test}) runs only untagged tests: unit tests and
 * single verticles over a stubbed bus.
 */
@Inherited
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("chaos")
public @interface ChaosTest {
}
