package io.agenthub.embedded;

/** The embedded broker cannot listen because something else already holds its port. */
public final class BrokerPortTakenException extends RuntimeException {

  public BrokerPortTakenException(int port) {
    super("RABBITMQ_MODE=embedded, but port " + port + " on 127.0.0.1 is already in use: stop what listens there, "
        + "set RABBITMQ_PORT to a free port, or set RABBITMQ_MODE=auto to use the broker that answers there");
  }
}
