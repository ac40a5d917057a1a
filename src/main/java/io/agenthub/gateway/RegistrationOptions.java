package io.agenthub.gateway;

import io.agenthub.protocol.ClientRole;
import io.agenthub.protocol.ErrorCode;
import io.agenthub.protocol.Fields;
import io.agenthub.protocol.ProtocolError;
import io.vertx.core.json.JsonObject;
import java.util.Optional;

/**
 * The opt-in protocol extensions a registration asks for: delta presence ({@code "status_updates":"delta"}, for
 * frontends and brokers), WebSocket delivery ({@code "delivery":"websocket"}, for agents) and streamed replies
 * ({@code "streams":true}: an agent may stream its answers, a frontend or broker receives streams). Old clients send
 * none and get the contract's behaviour.
 */
record RegistrationOptions(boolean deltaStatus, boolean websocketDelivery, boolean streams) {

  static RegistrationOptions of(ClientRole role, JsonObject registration) {
    return new RegistrationOptions(
        role.watchesPresence() && "delta".equals(registration.getValue("status_updates")),
        role == ClientRole.AGENT && "websocket".equals(registration.getValue("delivery")),
        Boolean.TRUE.equals(registration.getValue(Fields.STREAMS)));
  }

  /** An agent's {@code delivery} must name a mode the hub has, so a typo is not silently taken for the default. */
  static Optional<ProtocolError> problemIn(ClientRole role, JsonObject registration) {
    Object delivery = registration.getValue("delivery");
    if (role == ClientRole.AGENT && delivery != null && !"queue".equals(delivery) && !"websocket".equals(delivery)) {
      return Optional.of(new ProtocolError(ErrorCode.INVALID_FIELD,
          "Field delivery must be \"queue\" or \"websocket\""));
    }
    Object streams = registration.getValue(Fields.STREAMS);
    if (streams != null && !(streams instanceof Boolean)) {
      return Optional.of(new ProtocolError(ErrorCode.INVALID_FIELD, "Field streams must be true or false"));
    }
    return Optional.empty();
  }
}
