package io.agenthub.bus;

import io.vertx.core.json.JsonObject;

/**
 * Request on {@link StreamAddresses#STREAMS_CANCEL}: {@code clientId} asks to cancel the stream, which only the client
 * whose message it answers may do; a null {@code clientId} is an operator's cancel ({@code POST
 * /api/streams/{id}/cancel}). Replied empty once the agent was asked to stop (or the stream ended, if its agent is
 * gone), or failed with {@link Failures#STREAM_REFUSED}.
 */
public record StreamCancel(String streamId, String clientId) {

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("stream_id", streamId);
    if (clientId != null) {
      json.put("client_id", clientId);
    }
    return json;
  }

  public static StreamCancel fromJson(JsonObject json) {
    return new StreamCancel(json.getString("stream_id"), json.getString("client_id"));
  }
}
