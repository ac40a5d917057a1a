package io.agenthub.config;

import java.util.Arrays;
import java.util.Locale;

/** Which AMQP broker the hub uses ({@link Setting#RABBITMQ_MODE}). */
public enum RabbitMqMode {
  /** The RabbitMQ at RABBITMQ_HOST:RABBITMQ_PORT, or an embedded broker there when nothing answers at start-up. */
  AUTO,
  /** Only the RabbitMQ at RABBITMQ_HOST:RABBITMQ_PORT; the hub waits and reconnects until it answers. */
  EXTERNAL,
  /** Always an embedded broker on the loopback RABBITMQ_PORT. */
  EMBEDDED;

  /** The value as written in a conf file, e.g. {@code auto}. */
  public String configValue() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The mode a conf value names, case-insensitively; null if it names none. */
  static RabbitMqMode parse(String value) {
    String wanted = value.trim().toUpperCase(Locale.ROOT);
    return Arrays.stream(values()).filter(mode -> mode.name().equals(wanted)).findFirst().orElse(null);
  }
}
