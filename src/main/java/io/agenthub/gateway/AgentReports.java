package io.agenthub.gateway;

import io.agenthub.bus.Addresses;
import io.agenthub.bus.CardUpdate;
import io.agenthub.bus.LoadAddresses;
import io.agenthub.bus.PongReceived;
import io.agenthub.protocol.AgentCards;
import io.agenthub.protocol.ClientRole;
import io.agenthub.protocol.ErrorCode;
import io.agenthub.protocol.Fields;
import io.agenthub.protocol.Frames;
import io.agenthub.protocol.InboundFrame;
import io.agenthub.protocol.ProtocolError;
import io.agenthub.protocol.ReportedLoad;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a registered agent says of itself: a new card ({@code AGENT_CARD_UPDATE}, protocol extension "agent cards")
 * and the figures it adds to its PONG (protocol extension "live load"). Each is checked here and passed to presence;
 * a refusal is answered with its ERROR. A PONG is relayed to presence (from agents and brokers) even when its figures
 * are refused: it is still a sign of life.
 */
final class AgentReports {
  private static final Logger LOG = LoggerFactory.getLogger(AgentReports.class);

  private final EventBus bus;
  private final Supplier<GatewaySettings> settings;
  private final Refusals refusals;

  AgentReports(EventBus bus, Supplier<GatewaySettings> settings, Refusals refusals) {
    this.bus = bus;
    this.settings = settings;
    this.refusals = refusals;
  }

  /** The agent's new card replaces its old one once presence has it; the agent is told with AGENT_CARD_UPDATED. */
  void onCardUpdate(ClientSession session, InboundFrame frame) {
    if (session.role() != ClientRole.AGENT) {
      refusals.refuse(session, new ProtocolError(ErrorCode.UNSUPPORTED_MESSAGE_TYPE,
          "AGENT_CARD_UPDATE is sent by agents only"), frame.messageId());
      return;
    }
    Object raw = frame.body().getValue(Fields.CARD);
    if (raw == null) {
      refusals.refuse(session, new ProtocolError(ErrorCode.MISSING_FIELD, "Field card is required"),
          frame.messageId());
      return;
    }
    AgentCards.Checked card = AgentCards.check(raw, settings.get().agentCardMaxBytes());
    if (!card.accepted()) {
      refusals.refuse(session, card.error(), frame.messageId());
      return;
    }
    bus.request(LoadAddresses.PRESENCE_CARD, new CardUpdate(session.clientId(), card.card().toJson()).toJson())
        .onSuccess(stored -> session.send(Frames.cardUpdated(session.clientId(), card.card())))
        .onFailure(e -> {
          LOG.warn("Card of {} not updated: {}", session.logId(), e.getMessage());
          refusals.refuse(session, new ProtocolError(ErrorCode.UNAVAILABLE, Frames.TEXT_CARD_UPDATE_FAILED),
              frame.messageId());
        });
  }

  /** From a frontend a PONG is ignored; an agent's figures are checked, and the PONG counts either way. */
  void onPong(ClientSession session, InboundFrame frame) {
    if (session.role() == ClientRole.FRONTEND) {
      return;
    }
    JsonObject figures = null;
    if (session.role() == ClientRole.AGENT) {
      ReportedLoad.Checked load = ReportedLoad.check(frame.body().getValue(ReportedLoad.FIELD));
      if (!load.accepted()) {
        refusals.refuse(session, load.error(), frame.messageId());
      } else if (load.load() != null) {
        figures = load.load().toJson();
      }
    }
    bus.send(Addresses.PRESENCE_PONG, new PongReceived(session.clientId(), session.role(), figures).toJson());
  }
}
