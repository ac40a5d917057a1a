package io.agenthub.bus;

import io.agenthub.protocol.StreamHeader;
import io.vertx.core.json.JsonObject;

/** The JSON of a {@link StreamHeader} inside the streams' bus payloads. */
final class StreamCodec {

  private StreamCodec() {
  }

  static JsonObject header(StreamHeader header) {
    return new JsonObject()
        .put("stream_id", header.streamId())
        .put("agent_id", header.agentId())
        .put("agent_name", header.agentName())
        .put("requester_id", header.requesterId())
        .put("in_reply_to", header.inReplyTo())
        .put("started_at", header.startedAt());
  }

  static StreamHeader header(JsonObject json) {
    return new StreamHeader(json.getString("stream_id"), json.getString("agent_id"), json.getString("agent_name"),
        json.getString("requester_id"), json.getString("in_reply_to"), json.getString("started_at"));
  }
}
