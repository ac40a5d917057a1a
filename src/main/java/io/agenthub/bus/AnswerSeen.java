package io.agenthub.bus;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * An agent's answer one instance saw to a message it had not handed itself: {@code inReplyTo} names the message
 * (null when the answer named none, taken as the answer to the agent's oldest), so that the instance that handed it
 * stops counting it as unanswered.
 */
public record AnswerSeen(String agentId, String inReplyTo) {

  static JsonArray toJson(List<AnswerSeen> answers) {
    JsonArray list = new JsonArray();
    answers.forEach(answer -> {
      JsonObject json = new JsonObject().put("agent_id", answer.agentId());
      list.add(answer.inReplyTo() == null ? json : json.put("in_reply_to", answer.inReplyTo()));
    });
    return list;
  }

  static List<AnswerSeen> fromJson(JsonArray list) {
    return list.stream().map(JsonObject.class::cast)
        .map(json -> new AnswerSeen(json.getString("agent_id"), json.getString("in_reply_to"))).toList();
  }
}
