package io.agenthub.bus;

import io.agenthub.protocol.StreamHeader;
import io.vertx.core.json.JsonObject;

/**
 * Reply of {@link StreamAddresses#STREAMS_JOIN}: the stream's header, the text of chunks {@code fromSeq} to
 * {@code nextSeq - 1} as one delta (empty when there are none), and its end if it has ended.
 */
public record StreamSnapshot(StreamHeader header, long fromSeq, long nextSeq, String delta, StreamEvent.Ended end) {

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("header", StreamCodec.header(header)).put("from_seq", fromSeq)
        .put("next_seq", nextSeq).put("delta", delta);
    if (end != null) {
      json.put("end", end.toJson());
    }
    return json;
  }

  public static StreamSnapshot fromJson(JsonObject json) {
    JsonObject end = json.getJsonObject("end");
    return new StreamSnapshot(StreamCodec.header(json.getJsonObject("header")), json.getLong("from_seq"),
        json.getLong("next_seq"), json.getString("delta"), end == null ? null : StreamEvent.Ended.fromJson(end));
  }
}
