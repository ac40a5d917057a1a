package io.agenthub.bus;

import io.vertx.core.json.JsonObject;

/**
 * Request on {@link StreamAddresses#STREAMS_RESOLVE}: the stream answering message {@code inReplyTo} of {@code
 * clientId} (a client that resumed its session after the stream opened). Replied {@code {"stream_id"}}, or failed with
 * {@link Failures#STREAM_REFUSED} (STREAM_UNKNOWN) while none answers it.
 */
public record StreamResolve(String clientId, String inReplyTo) {

  public JsonObject toJson() {
    return new JsonObject().put("client_id", clientId).put("in_reply_to", inReplyTo);
  }

  public static StreamResolve fromJson(JsonObject json) {
    return new StreamResolve(json.getString("client_id"), json.getString("in_reply_to"));
  }
}
