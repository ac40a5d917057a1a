package io.agenthub.protocol;

import io.vertx.core.json.JsonObject;

/** Why a client's frame was refused: the ERROR to send back, code and text. */
public record ProtocolError(ErrorCode code, String text) {

  public JsonObject toFrame() {
    return Frames.error(text, code);
  }
}
