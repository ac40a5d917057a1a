package io.agenthub.gateway;

import io.agenthub.bus.StreamAddresses;
import io.agenthub.bus.StreamCancel;
import io.agenthub.bus.StreamRefusal;
import io.agenthub.config.HubConfig;
import io.agenthub.config.Setting;
import io.agenthub.protocol.StreamIds;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Supplier;

/**
 * {@code POST /api/streams/{id}/cancel}: an operator cancels any stream (protocol extension "streamed replies"), as the
 * console's Cancel button does. With OPERATOR_TOKENS set it needs {@code Authorization: Bearer} one of them (401
 * otherwise). It needs {@code Content-Type: application/json} (415 otherwise): a page on another site cannot send
 * that without the browser asking first, and CORS allows it no POST, so nobody's browser can be made to cancel.
 * Answers 202 once the stream's writer asked its agent to stop, 404 for a stream the hub does not know, 409 for one
 * that has ended.
 */
final class StreamCancelEndpoint implements Handler<RoutingContext> {
  private final EventBus bus;
  private final Supplier<HubConfig> config;

  StreamCancelEndpoint(EventBus bus, Supplier<HubConfig> config) {
    this.bus = bus;
    this.config = config;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String streamId = ctx.pathParam("id");
    if (!Credentials.accepts(config.get().strings(Setting.OPERATOR_TOKENS),
        Credentials.presented(new JsonObject(), ctx.request().getHeader(HttpHeaders.AUTHORIZATION)))) {
      ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"agent-hub\"");
      answer(ctx, 401, "A valid operator token is required as Authorization: Bearer");
    } else if (!String.valueOf(ctx.request().getHeader(HttpHeaders.CONTENT_TYPE)).startsWith("application/json")) {
      answer(ctx, 415, "Content-Type: application/json is required");
    } else if (!StreamIds.isWellFormed(streamId)) {
      answer(ctx, 404, "No stream " + streamId);
    } else {
      bus.request(StreamAddresses.STREAMS_CANCEL, new StreamCancel(streamId, null).toJson()).onComplete(
          asked -> answer(ctx, 202, "Stream " + streamId + " is being cancelled"),
          e -> refused(ctx, StreamRefusal.of(e), e));
    }
  }

  private static void refused(RoutingContext ctx, StreamRefusal refusal, Throwable failure) {
    if (refusal == null) {
      answer(ctx, 503, "Cancel not possible now: " + failure.getMessage());
    } else {
      answer(ctx, switch (refusal.errorCode()) {
        case "STREAM_UNKNOWN" -> 404;
        case "STREAM_ENDED" -> 409;
        default -> 503;
      }, refusal.text());
    }
  }

  private static void answer(RoutingContext ctx, int status, String text) {
    ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(new JsonObject().put(status < 300 ? "message" : "error", text).encode());
  }
}
