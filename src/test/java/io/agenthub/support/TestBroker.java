package io.agenthub.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The broker a {@link HubExtension} runs its hub against: the real RabbitMQ (a vhost of its own) or the broker the
 * hub embeds (RABBITMQ_MODE=embedded on a free port). A test class written once runs against both through two
 * small subclasses, each annotated with {@link On}.
 */
public enum TestBroker {
  RABBITMQ,
  EMBEDDED;

  /** Names the broker for the hub of the annotated test class; without it, the real RabbitMQ. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.TYPE)
  public @interface On {
    TestBroker value();
  }
}
