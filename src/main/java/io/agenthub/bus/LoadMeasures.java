package io.agenthub.bus;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reply of {@link LoadAddresses#BRIDGE_LOAD}: {@code agents}, what the bridge measured per agent; {@code unmatched},
 * answers it saw to messages it did not hand (they go to the other instances in this instance's {@link LoadReport}).
 */
public record LoadMeasures(Map<String, AgentMeasure> agents, List<AnswerSeen> unmatched) {

  public JsonObject toJson() {
    JsonObject measures = new JsonObject();
    agents.forEach((agentId, measure) -> measures.put(agentId, measure.toJson()));
    return new JsonObject()
        .put("agents", measures)
        .put("unmatched", AnswerSeen.toJson(unmatched));
  }

  public static LoadMeasures fromJson(JsonObject json) {
    Map<String, AgentMeasure> agents = new LinkedHashMap<>();
    JsonObject measures = json.getJsonObject("agents", new JsonObject());
    measures.fieldNames()
        .forEach(agentId -> agents.put(agentId, AgentMeasure.fromJson(measures.getJsonObject(agentId))));
    return new LoadMeasures(agents, AnswerSeen.fromJson(json.getJsonArray("unmatched", new JsonArray())));
  }
}
