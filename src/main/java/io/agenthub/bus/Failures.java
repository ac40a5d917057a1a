package io.agenthub.bus;

/** The failure codes of the hub's event-bus requests ({@code Message#fail}), each named for what it means. */
public final class Failures {
  /** {@link Addresses#PRESENCE_REGISTER}: the requested {@code resume_id} is online or connected. */
  public static final int ID_IN_USE = 409;
  /** {@link Addresses#client}: the socket closed (or was closed as too slow) before the frame was written. */
  public static final int SOCKET_GONE = 410;
  /** The streams verticle refused a request; the message is a {@link StreamRefusal}'s JSON. */
  public static final int STREAM_REFUSED = 422;
  /** Any request: the serving verticle failed for a reason of its own, named in the message. */
  public static final int INTERNAL = 500;
  /** {@link Addresses#BRIDGE_FORWARD}: never sent (RabbitMQ not connected), or nacked. */
  public static final int NOT_PUBLISHED = 503;
  /** {@link Addresses#BRIDGE_FORWARD}: sent, but the confirm was lost with the connection or timed out. */
  public static final int OUTCOME_UNKNOWN = 504;

  private Failures() {
  }
}
