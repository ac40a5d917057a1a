package io.agenthub.bus;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;

/**
 * Why the streams verticle refused a request: the failure message of {@link Failures#STREAM_REFUSED}, carrying the
 * {@code error_code} the client is answered with and its text.
 */
public record StreamRefusal(String errorCode, String text) {

  public String encode() {
    return new JsonObject().put("error_code", errorCode).put("text", text).encode();
  }

  /** The refusal a failed request carries; null when it failed for another reason (timeout, no handler...). */
  public static StreamRefusal of(Throwable failure) {
    if (failure instanceof ReplyException reply && reply.failureCode() == Failures.STREAM_REFUSED) {
      JsonObject json = new JsonObject(reply.getMessage());
      return new StreamRefusal(json.getString("error_code"), json.getString("text"));
    }
    return null;
  }
}
