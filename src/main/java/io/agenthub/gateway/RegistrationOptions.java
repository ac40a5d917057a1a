package io.agenthub.gateway;

import io.agenthub.protocol.AgentCard;
import io.agenthub.protocol.AgentCards;
import io.agenthub.protocol.ClientRole;
import io.agenthub.protocol.ErrorCode;
import io.agenthub.protocol.Fields;
import io.agenthub.protocol.ProtocolError;
import io.vertx.core.json.JsonObject;
import java.util.Optional;

/**
 * The opt-in protocol extensions a registration asks for: delta presence ({@code "status_updates":"delta"}, for
 * frontends and brokers), agent details ({@code "status_updates":"details"}: delta presence whose entries carry each
 * agent's grade, load and card, plus load updates), WebSocket delivery ({@code "delivery":"websocket"}, for agents),
 * streamed replies ({@code "streams":true}: an agent may stream its answers, a frontend or broker receives streams)
 * and an agent's card ({@code "card": {...}}). Old clients send none and get the contract's behaviour.
 *
 * @param card an agent's card as checked ({@link AgentCards}), or null
 */
record RegistrationOptions(boolean deltaStatus, boolean websocketDelivery, boolean streams, boolean agentDetails,
    AgentCard card) {

  static final String DELTA = "delta";
  static final String DETAILS = "details";

  /** Only for a registration {@link #problemIn} found nothing wrong with. */
  static RegistrationOptions of(ClientRole role, JsonObject registration, int maxCardBytes) {
    Object statusUpdates = registration.getValue(Fields.STATUS_UPDATES);
    boolean details = role.watchesPresence() && DETAILS.equals(statusUpdates);
    Object card = registration.getValue(Fields.CARD);
    return new RegistrationOptions(
        details || (role.watchesPresence() && DELTA.equals(statusUpdates)),
        role == ClientRole.AGENT && "websocket".equals(registration.getValue("delivery")),
        Boolean.TRUE.equals(registration.getValue(Fields.STREAMS)),
        details,
        role == ClientRole.AGENT && card != null ? AgentCards.check(card, maxCardBytes).card() : null);
  }

  /**
   * An agent's {@code delivery} must name a mode the hub has, so a typo is not silently taken for the default, and its
   * {@code card} must pass the card's checks ({@code CARD_TOO_LARGE}, {@code INVALID_CARD}).
   */
  static Optional<ProtocolError> problemIn(ClientRole role, JsonObject registration, int maxCardBytes) {
    Object delivery = registration.getValue("delivery");
    if (role == ClientRole.AGENT && delivery != null && !"queue".equals(delivery) && !"websocket".equals(delivery)) {
      return Optional.of(new ProtocolError(ErrorCode.INVALID_FIELD,
          "Field delivery must be \"queue\" or \"websocket\""));
    }
    Object streams = registration.getValue(Fields.STREAMS);
    if (streams != null && !(streams instanceof Boolean)) {
      return Optional.of(new ProtocolError(ErrorCode.INVALID_FIELD, "Field streams must be true or false"));
    }
    Object card = registration.getValue(Fields.CARD);
    if (role == ClientRole.AGENT && card != null) {
      return Optional.ofNullable(AgentCards.check(card, maxCardBytes).error());
    }
    return Optional.empty();
  }
}
