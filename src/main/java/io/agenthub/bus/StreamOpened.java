package io.agenthub.bus;

import io.agenthub.protocol.StreamHeader;
import io.vertx.core.json.JsonObject;

/**
 * A stream is open, on its writer's instance: the reply of {@link StreamAddresses#STREAMS_OPEN} to the agent's gateway
 * ({@code nextSeq} is the chunk the hub expects next), and the announcement published on
 * {@link StreamAddresses#STREAMS_OPENED} to every gateway, which joins the requester to it if it holds its socket.
 */
public record StreamOpened(StreamHeader header, long nextSeq) {

  public JsonObject toJson() {
    return StreamCodec.header(header).put("next_seq", nextSeq);
  }

  public static StreamOpened fromJson(JsonObject json) {
    return new StreamOpened(StreamCodec.header(json), json.getLong("next_seq", 0L));
  }
}
