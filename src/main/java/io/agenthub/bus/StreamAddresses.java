package io.agenthub.bus;

/**
 * The event-bus addresses of protocol extension "streamed replies", kept apart from {@link Addresses} (whose
 * conventions they follow): the gateway and the bridge ask the streams verticle, which publishes what the gateways
 * render. Refusals fail with {@link Failures#STREAM_REFUSED}, the message a {@link StreamRefusal}.
 */
public final class StreamAddresses {

  /**
   * Node-local request ({@link StreamAsked}) → empty reply once recorded, from the bridge before it hands a message
   * to an agent that streams (protocol extension "streamed replies"): that agent may answer it with a stream going to
   * the message's sender.
   */
  public static final String STREAMS_ASKED = "agenthub.local.streams.asked";

  /**
   * Node-local request ({@link StreamOpen}) → {@link StreamOpened}, from the gateway holding the agent's socket: open
   * a stream (or take one back after a reconnect); this instance becomes its writer. Refusals fail with
   * {@link Failures#STREAM_REFUSED}.
   */
  public static final String STREAMS_OPEN = "agenthub.local.streams.open";

  /** Node-local requests → empty reply: a chunk kept and published ({@link StreamChunk}); the agent's end. */
  public static final String STREAMS_APPEND = "agenthub.local.streams.append";
  /** Node-local request ({@link StreamFinish}) → empty reply. */
  public static final String STREAMS_END = "agenthub.local.streams.end";

  /**
   * Node-local request ({@link StreamCancel}) → empty reply once the stream's writer (on any instance) asked the agent
   * to stop, or ended the stream itself when the agent is gone.
   */
  public static final String STREAMS_CANCEL = "agenthub.local.streams.cancel";

  /** Node-local request ({@link StreamJoin}) → {@link StreamSnapshot}: what a viewer missed, from any instance. */
  public static final String STREAMS_JOIN = "agenthub.local.streams.join";
  /** Node-local request ({@link StreamResolve}) → {@code {"stream_id"}}: the stream answering a client's message. */
  public static final String STREAMS_RESOLVE = "agenthub.local.streams.resolve";

  /** Node-local send ({@link StreamAgentGone}), from the gateway: an agent's socket closed. */
  public static final String STREAMS_AGENT_GONE = "agenthub.local.streams.agent-gone";
  /**
   * Node-local send ({@link NodeLeft}): that instance left the cluster; the oldest survivor takes over the streams it
   * was writing, so that they end (or are taken back by their agents) instead of staying open for ever.
   */
  public static final String STREAMS_NODE_LEFT = "agenthub.local.streams.node-left";

  /**
   * Cluster-wide publish ({@link StreamOpened}): a stream opened; the gateway holding its requester's socket joins it
   * there (when that client opted in), and opted-in monitoring frontends are told it exists.
   */
  public static final String STREAMS_OPENED = "agenthub.cluster.streams.opened";

  /**
   * Cluster-wide publish ({@link StreamEvent}), by the stream's writer after it kept the chunk or end: every gateway
   * with a viewer of the stream consumes it while it has one.
   */
  public static String stream(String streamId) {
    return "agenthub.cluster.stream." + streamId;
  }

  /**
   * Cluster-wide request, one consumer per instance, held by its streams verticle ({@link StreamCancel}) → empty reply:
   * a cancel for a stream this instance writes. Fails with NO_HANDLERS when that instance is gone.
   */
  public static String streamWriter(String nodeId) {
    return "agenthub.cluster.streams.writer." + nodeId;
  }

  /** Node-local send ({@link StreamCancelNotice}): the gateway tells the agent to stop its stream. */
  public static final String GATEWAY_STREAM_CANCEL = "agenthub.local.gateway.stream-cancel";

  private StreamAddresses() {
  }
}
