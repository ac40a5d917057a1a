package io.agenthub.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * Test lane "cluster": Several hub instances joined by Hazelcast, in this JVM or as child JVMs, on a real RabbitMQ.
 * Runs in `./mvnw verify` only. The fast lane ({@code ./mvnw test}) runs only untagged tests: unit tests and single
 * verticles over a stubbed bus.
 */
@Inherited
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("cluster")
public @interface ClusterTest {
}
