package io.agenthub.bus;

import io.vertx.core.json.JsonObject;

/**
 * Published on {@link StreamAddresses#stream} by the stream's writer, after it was kept: a chunk, or the end. Every
 * gateway with a viewer of the stream subscribes; a viewer that joins reads what it missed with {@link StreamJoin}.
 */
public sealed interface StreamEvent {

  JsonObject toJson();

  static StreamEvent fromJson(JsonObject json) {
    return json.containsKey("reason") ? Ended.fromJson(json) : Appended.fromJson(json);
  }

  /** Chunk {@code seq}. */
  record Appended(long seq, String delta) implements StreamEvent {
    @Override
    public JsonObject toJson() {
      return new JsonObject().put("seq", seq).put("delta", delta);
    }

    static Appended fromJson(JsonObject json) {
      return new Appended(json.getLong("seq"), json.getString("delta"));
    }
  }

  /**
   * The stream ended after {@code chunks} chunks: {@code reason} is {@code complete}, {@code cancelled} or
   * {@code failed}; {@code errorCode} and {@code text} say why a stream the agent did not complete ended (nullable).
   */
  record Ended(String reason, long chunks, String errorCode, String text) implements StreamEvent {
    @Override
    public JsonObject toJson() {
      JsonObject json = new JsonObject().put("reason", reason).put("chunks", chunks);
      if (errorCode != null) {
        json.put("error_code", errorCode);
      }
      if (text != null) {
        json.put("text", text);
      }
      return json;
    }

    public static Ended fromJson(JsonObject json) {
      return new Ended(json.getString("reason"), json.getLong("chunks"), json.getString("error_code"),
          json.getString("text"));
    }
  }
}
