package io.agenthub.gateway;

import io.agenthub.bus.Addresses;
import io.agenthub.bus.AgentList;
import io.agenthub.bus.AgentsQuery;
import io.agenthub.bus.FanOut;
import io.agenthub.bus.Failures;
import io.agenthub.bus.ForwardRequest;
import io.agenthub.clock.HubClock;
import io.agenthub.metrics.HubMetrics;
import io.agenthub.protocol.ChatMessages;
import io.agenthub.protocol.ClientRole;
import io.agenthub.protocol.ErrorCode;
import io.agenthub.protocol.Fields;
import io.agenthub.protocol.Frames;
import io.agenthub.protocol.InboundFrame;
import io.agenthub.protocol.MessageType;
import io.agenthub.protocol.ProtocolError;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a client's frames lead to: flood control, parsing and validation, then registration, chat forwarding through
 * the bridge, PING answered, PONG relayed to presence, and a broker's status request.
 */
final class InboundDispatch {
  private static final Logger LOG = LoggerFactory.getLogger(InboundDispatch.class);

  private final EventBus bus;
  private final Supplier<GatewaySettings> settings;
  private final HubClock clock;
  private final MeterRegistry metrics;
  private final Refusals refusals;
  private final Registrations registrations;
  private final Deliveries deliveries;
  private final StreamRequests streams;
  private final AgentReports reports;

  InboundDispatch(EventBus bus, Supplier<GatewaySettings> settings, HubClock clock, MeterRegistry metrics,
      Refusals refusals, Registrations registrations, Deliveries deliveries, StreamRequests streams,
      AgentReports reports) {
    this.streams = streams;
    this.reports = reports;
    this.bus = bus;
    this.settings = settings;
    this.clock = clock;
    this.metrics = metrics;
    this.refusals = refusals;
    this.registrations = registrations;
    this.deliveries = deliveries;
  }

  void onBinary(ClientSession session) {
    if (admitted(session)) {
      refusals.refuse(session, InboundFrame.binaryRefused().error(), null);
    }
  }

  /**
   * A streaming agent's frames are read before they are counted, so that its chunks count against
   * STREAM_CHUNK_RATE_LIMIT rather than CLIENT_RATE_LIMIT; every other client's frames are counted first.
   */
  void onText(ClientSession session, String text) {
    boolean streamingAgent = session.isRegistered() && session.role() == ClientRole.AGENT
        && session.client().options().streams();
    if (!streamingAgent && !admitted(session)) {
      return;
    }
    InboundFrame frame = InboundFrame.parse(text, settings.get().maxFrameBytes());
    if (streamingAgent && !admittedAfterReading(session, frame)) {
      return;
    }
    if (frame.body() == null) {
      refusals.refuse(session, frame.error(), null);
    } else if (session.state() == ClientSession.State.NEW && (frame.type() == null || !frame.type().isRegistration())) {
      refusals.refuse(session, new ProtocolError(ErrorCode.NOT_REGISTERED, Frames.TEXT_MUST_REGISTER),
          frame.messageId());
    } else if (!frame.isValid()) {
      refusals.refuse(session, frame.error(), frame.messageId());
    } else if (frame.type().isRegistration()) {
      registrations.onRegistration(session, frame);
    } else {
      dispatch(session, frame);
    }
  }

  /** Flood control: a frame over the client's rate is answered with RATE_LIMITED and not processed. */
  private boolean admitted(ClientSession session) {
    GatewaySettings current = settings.get();
    if (session.limits().frames().tryTake(current.clientRateLimit(), current.clientRateBurst(), clock.nanoTime())) {
      return true;
    }
    HubMetrics.frameRefused(metrics, ErrorCode.RATE_LIMITED);
    session.send(Frames.rateLimited("Rate limit of " + current.clientRateLimit()
        + " frames per second exceeded; frame dropped", session.limits().frames()
        .nanosUntil(1, current.clientRateLimit(), current.clientRateBurst(), clock.nanoTime())));
    return false;
  }

  private boolean admittedAfterReading(ClientSession session, InboundFrame frame) {
    if (frame.type() != MessageType.STREAM_CHUNK) {
      return admitted(session);
    }
    int rate = settings.get().streamChunkRateLimit();
    if (session.limits().chunks(rate, clock.nanoTime()).tryTake(rate, 2 * rate, clock.nanoTime())) {
      return true;
    }
    HubMetrics.frameRefused(metrics, ErrorCode.RATE_LIMITED);
    session.send(Frames.rateLimited("Rate limit of " + rate + " chunks per second (STREAM_CHUNK_RATE_LIMIT) exceeded; "
        + "chunk dropped", session.limits().chunks(rate, clock.nanoTime()).nanosUntil(1, rate, 2 * rate,
        clock.nanoTime())));
    return false;
  }

  private void dispatch(ClientSession session, InboundFrame frame) {
    MessageType type = frame.type();
    if (type.isStream()) {
      streams.onFrame(session, frame);
    } else if (type.isChat()) {
      onChat(session, frame);
    } else if (type == MessageType.PING) {
      session.send(Frames.serverPong());
    } else if (type == MessageType.PONG) {
      reports.onPong(session, frame);
    } else if (type == MessageType.AGENT_CARD_UPDATE) {
      reports.onCardUpdate(session, frame);
    } else if (type == MessageType.REQUEST_AGENT_STATUS) {
      onStatusRequest(session);
    } else {
      refusals.refuse(session, new ProtocolError(ErrorCode.UNSUPPORTED_MESSAGE_TYPE,
          type + " is sent by the hub, not accepted from clients"), frame.messageId());
    }
  }

  private void onChat(ClientSession session, InboundFrame frame) {
    Optional<ProtocolError> problem = ChatMessages.validate(frame.body());
    if (problem.isPresent()) {
      refusals.refuse(session, problem.get(), frame.messageId());
      return;
    }
    JsonObject message = ChatMessages.stampFromClient(frame.body(), session.clientId(), session.role(),
        clock.now());
    DeliveryOptions options = new DeliveryOptions()
        .setSendTimeout(settings.get().publishConfirmTimeout().toMillis() + 1_000);
    bus.request(Addresses.BRIDGE_FORWARD, new ForwardRequest(message.encode()).toJson(), options)
        .onSuccess(ok -> HubMetrics.forwarded(metrics, session.role()))
        .onFailure(e -> onForwardFailed(session, message.getString(Fields.MESSAGE_ID), e));
  }

  private void onForwardFailed(ClientSession session, String messageId, Throwable cause) {
    ErrorCode code = forwardFailureCode(cause);
    LOG.debug("Message {} from {} not forwarded to the brokers ({}): {}", messageId, session.logId(), code,
        cause.getMessage());
    HubMetrics.frameRefused(metrics, code);
    deliveries.answer(session,
        Frames.forwardFailed(session.clientId(), messageId, code, clock.now()).encode());
  }

  /**
   * FORWARD_FAILED only when the message certainly did not reach RabbitMQ; when it may have (its confirm was lost,
   * or the bridge did not answer in time), the sender is told the outcome is unknown.
   */
  static ErrorCode forwardFailureCode(Throwable cause) {
    if (cause instanceof ReplyException reply
        && (reply.failureType() == ReplyFailure.NO_HANDLERS || reply.failureCode() == Failures.NOT_PUBLISHED)) {
      return ErrorCode.FORWARD_FAILED;
    }
    return ErrorCode.FORWARD_OUTCOME_UNKNOWN;
  }

  /** Every broker of the deployment gets the full status, as the contract has it, rendered here once. */
  private void onStatusRequest(ClientSession session) {
    if (session.role() != ClientRole.BROKER) {
      HubMetrics.frameRefused(metrics, ErrorCode.FORBIDDEN);
      session.send(Frames.onlyBrokerMayRequestStatus());
      return;
    }
    bus.<JsonObject>request(Addresses.PRESENCE_AGENTS, new AgentsQuery(false).toJson())
        .map(reply -> Frames.agentStatusUpdate(AgentList.fromJson(reply.body()).agents()).encode())
        .onSuccess(frame -> bus.publish(Addresses.GATEWAY_FAN_OUT,
            new FanOut(new JsonArray().add(ClientRole.BROKER.connectionType()), frame, null).toJson()))
        .onFailure(e -> LOG.warn("Agent status for {} failed: {}", session.logId(), e.getMessage()));
  }
}
