package io.agenthub.bus;

import io.vertx.core.json.JsonObject;

/**
 * Request on {@link StreamAddresses#STREAMS_JOIN} from a viewer's gateway, which subscribed to {@link
 * StreamAddresses#stream} first: the stream as kept from chunk {@code fromSeq} on. Replied with {@link StreamSnapshot},
 * or failed with {@link Failures#STREAM_REFUSED}.
 */
public record StreamJoin(String streamId, long fromSeq) {

  public JsonObject toJson() {
    return new JsonObject().put("stream_id", streamId).put("from_seq", fromSeq);
  }

  public static StreamJoin fromJson(JsonObject json) {
    return new StreamJoin(json.getString("stream_id"), json.getLong("from_seq", 0L));
  }
}
