package io.agenthub.gateway;

import io.agenthub.bus.StreamAddresses;
import io.agenthub.bus.StreamCancel;
import io.agenthub.bus.StreamChunk;
import io.agenthub.bus.StreamEvent;
import io.agenthub.bus.StreamFinish;
import io.agenthub.bus.StreamOpen;
import io.agenthub.bus.StreamOpened;
import io.agenthub.bus.StreamRefusal;
import io.agenthub.bus.StreamResolve;
import io.agenthub.protocol.ErrorCode;
import io.agenthub.protocol.Fields;
import io.agenthub.protocol.InboundFrame;
import io.agenthub.protocol.ProtocolError;
import io.agenthub.protocol.StreamFrames;
import io.agenthub.protocol.StreamRequest;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import java.util.function.Supplier;

/**
 * The stream frames clients send (protocol extension "streamed replies"), checked here and carried out by the streams
 * verticle: an agent's opening, chunks and end, a viewer's join and cancel. Every refusal is an ERROR with its
 * {@code error_code} and the stream (or, for an opening, the message) it concerns. Touched only on the gateway's
 * context.
 */
final class StreamRequests {
  private final EventBus bus;
  private final Supplier<GatewaySettings> settings;
  private final Refusals refusals;
  private final StreamViewers viewers;

  StreamRequests(EventBus bus, Supplier<GatewaySettings> settings, Refusals refusals, StreamViewers viewers) {
    this.bus = bus;
    this.settings = settings;
    this.refusals = refusals;
    this.viewers = viewers;
  }

  void onFrame(ClientSession session, InboundFrame frame) {
    String streamId = frame.body().getValue(Fields.STREAM_ID) instanceof String id ? id : null;
    if (!session.client().options().streams()) {
      refuse(session, new ProtocolError(ErrorCode.STREAMS_NOT_ENABLED, frame.type() + " needs a registration with "
          + "\"streams\": true"), streamId, null);
      return;
    }
    StreamRequest.Parsed parsed = StreamRequest.parse(frame.type(), frame.body(), session.role(),
        settings.get().streamMaxChunkChars());
    if (!parsed.isValid()) {
      refuse(session, parsed.error(), streamId, null);
      return;
    }
    StreamRequest request = parsed.request();
    if (request instanceof StreamRequest.Start start) {
      open(session, start);
    } else if (request instanceof StreamRequest.Chunk chunk) {
      answerRefusal(session, bus.request(StreamAddresses.STREAMS_APPEND,
          new StreamChunk(session.clientId(), chunk.streamId(), chunk.seq(), chunk.delta()).toJson()), streamId);
    } else if (request instanceof StreamRequest.End end) {
      StreamFinish finish = new StreamFinish(session.clientId(), end.streamId(), end.chunks(),
          end.reason().wireName(), end.error());
      bus.<JsonObject>request(StreamAddresses.STREAMS_END, finish.toJson())
          .map(reply -> StreamEvent.Ended.fromJson(reply.body()))
          .onSuccess(ended -> session.send(StreamViewer.endFrame(end.streamId(), ended)))
          .onFailure(e -> refuse(session, errorOf(e, streamId), streamId, null));
    } else if (request instanceof StreamRequest.Join join && join.streamId() != null) {
      viewers.join(session, join.streamId(), join.fromSeq());
    } else if (request instanceof StreamRequest.Join join) {
      joinByQuestion(session, join);
    } else if (request instanceof StreamRequest.Cancel cancel) {
      answerRefusal(session, bus.request(StreamAddresses.STREAMS_CANCEL,
          new StreamCancel(cancel.streamId(), session.clientId()).toJson()), streamId);
    }
  }

  /** The agent learns its stream's id, or where to go on after a reconnect. */
  private void open(ClientSession session, StreamRequest.Start start) {
    bus.<JsonObject>request(StreamAddresses.STREAMS_OPEN,
            new StreamOpen(session.clientId(), session.client().name(), start.inReplyTo(), start.streamId()).toJson())
        .map(reply -> StreamOpened.fromJson(reply.body()))
        .onSuccess(opened -> session.send(StreamFrames.started(opened.header().streamId(),
            opened.header().inReplyTo(), opened.nextSeq())))
        .onFailure(e -> refuse(session, errorOf(e, start.streamId()), start.streamId(), start.inReplyTo()));
  }

  /** A client that resumed names its message: it gets the stream answering it, if one opened meanwhile. */
  private void joinByQuestion(ClientSession session, StreamRequest.Join join) {
    bus.<JsonObject>request(StreamAddresses.STREAMS_RESOLVE,
            new StreamResolve(session.clientId(), join.inReplyTo()).toJson())
        .map(reply -> reply.body().getString(Fields.STREAM_ID))
        .onSuccess(streamId -> viewers.join(session, streamId, join.fromSeq()))
        .onFailure(e -> refuse(session, errorOf(e, null), null, join.inReplyTo()));
  }

  private void answerRefusal(ClientSession session, Future<?> request, String streamId) {
    request.onFailure(e -> refuse(session, errorOf(e, streamId), streamId, null));
  }

  private void refuse(ClientSession session, ProtocolError error, String streamId, String inReplyTo) {
    refusals.send(session, StreamFrames.error(error, streamId, inReplyTo), error.code());
  }

  /** The streams verticle's refusal, or UNAVAILABLE when it did not answer (shutting down, overloaded). */
  private static ProtocolError errorOf(Throwable failure, String streamId) {
    StreamRefusal refusal = StreamRefusal.of(failure);
    if (refusal != null) {
      return new ProtocolError(ErrorCode.valueOf(refusal.errorCode()), refusal.text());
    }
    return new ProtocolError(ErrorCode.UNAVAILABLE, "The stream request " + (streamId == null ? "" : "for "
        + streamId + " ") + "could not be served now: " + failure.getMessage());
  }
}
