package io.agenthub.bench;

import io.agenthub.protocol.Fields;
import io.agenthub.protocol.MessageType;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/** The broker's view of presence: asks the hub for the full status and counts which of our agents are online. */
final class StatusWatch {
  private volatile Promise<JsonArray> waiting;

  void onFrame(String type, String text) {
    Promise<JsonArray> promise = waiting;
    if (promise != null && MessageType.AGENT_STATUS_UPDATE.name().equals(type)) {
      promise.tryComplete(new JsonObject(text).getJsonArray("agents"));
    }
  }

  Future<Long> onlineAmong(BenchClient broker, Set<String> agentIds) {
    Promise<JsonArray> promise = Promise.promise();
    waiting = promise;
    broker.send(new JsonObject().put(Fields.MESSAGE_TYPE, MessageType.REQUEST_AGENT_STATUS.name()));
    return promise.future().map(agents -> agents.stream().map(JsonObject.class::cast)
        .filter(agent -> agentIds.contains(agent.getString(Fields.AGENT_ID)))
        .filter(agent -> agent.getBoolean(Fields.IS_ONLINE, false))
        .count());
  }
}
