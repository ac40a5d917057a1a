package io.agenthub.gateway;

import io.agenthub.bus.DetailedAgents;
import io.agenthub.bus.LoadAddresses;
import io.agenthub.protocol.AgentCard;
import io.agenthub.protocol.AgentDetails;
import io.agenthub.protocol.Fields;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Supplier;

/**
 * Protocol extensions "agent cards" and "live load" over HTTP, guarded like {@code /api/status}:
 * {@code GET /api/agents} lists every agent with its grade, load and card (the entries clients that asked for agent
 * details get), and {@code GET /api/agents/{id}/card} serves one agent's card as an A2A AgentCard document.
 */
final class AgentEndpoints {
  private static final DeliveryOptions QUICK = new DeliveryOptions().setSendTimeout(2_000);

  private final EventBus bus;
  private final Supplier<String> publicWebSocketUrl;

  AgentEndpoints(EventBus bus, Supplier<String> publicWebSocketUrl) {
    this.bus = bus;
    this.publicWebSocketUrl = publicWebSocketUrl;
  }

  void list(RoutingContext ctx) {
    agents().onComplete(
        agents -> HttpEndpoints.json(ctx, 200, new JsonObject().put("agents", agents)),
        e -> HttpEndpoints.json(ctx, 503, new JsonObject().put("error", "Agents unavailable: " + e.getMessage())));
  }

  /** 404 for an agent the hub does not know, or one that registered without a card. */
  void card(RoutingContext ctx) {
    String agentId = ctx.pathParam("id");
    agents().onComplete(agents -> {
      JsonObject entry = find(agents, agentId);
      if (entry == null || entry.getJsonObject(AgentDetails.CARD) == null) {
        HttpEndpoints.json(ctx, 404, new JsonObject().put("error", entry == null
            ? "No agent " + agentId + " is known" : "Agent " + agentId + " registered without a card"));
        return;
      }
      HttpEndpoints.json(ctx, 200, AgentCard.fromJson(entry.getJsonObject(AgentDetails.CARD))
          .toA2a(entry.getString(Fields.AGENT_NAME), entry.getBoolean(Fields.STREAMS, false),
              publicWebSocketUrl.get()));
    }, e -> HttpEndpoints.json(ctx, 503, new JsonObject().put("error", "Agents unavailable: " + e.getMessage())));
  }

  private Future<JsonArray> agents() {
    return bus.<JsonObject>request(LoadAddresses.PRESENCE_DETAILS, new JsonObject(), QUICK)
        .map(reply -> DetailedAgents.fromJson(reply.body()).agents());
  }

  private static JsonObject find(JsonArray agents, String agentId) {
    for (int i = 0; i < agents.size(); i++) {
      if (agents.getJsonObject(i).getString(Fields.AGENT_ID).equals(agentId)) {
        return agents.getJsonObject(i);
      }
    }
    return null;
  }
}
