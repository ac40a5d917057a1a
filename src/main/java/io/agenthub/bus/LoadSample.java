package io.agenthub.bus;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Request on {@link LoadAddresses#BRIDGE_LOAD}: {@code poll}, the agents whose queue depth to measure (this
 * instance's online agents); {@code answeredElsewhere}, answers other instances saw to messages they did not hand
 * ({@link AnswerSeen}), which this instance may have handed.
 */
public record LoadSample(List<String> poll, List<AnswerSeen> answeredElsewhere) {

  public JsonObject toJson() {
    return new JsonObject()
        .put("poll", new JsonArray(poll))
        .put("answered_elsewhere", AnswerSeen.toJson(answeredElsewhere));
  }

  public static LoadSample fromJson(JsonObject json) {
    return new LoadSample(json.getJsonArray("poll", new JsonArray()).stream().map(String.class::cast).toList(),
        AnswerSeen.fromJson(json.getJsonArray("answered_elsewhere", new JsonArray())));
  }
}
