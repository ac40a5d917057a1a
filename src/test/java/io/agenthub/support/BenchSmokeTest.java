package io.agenthub.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * Test lane "bench": A short run of every benchmark scenario against a child hub JVM, to check each completes
 * cleanly. Runs in `./mvnw verify` only. The fast lane ({@code ./mvnw test}) runs only untagged tests: unit tests
 * and single verticles over a stubbed bus.
 */
@Inherited
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("bench")
public @interface BenchSmokeTest {
}
