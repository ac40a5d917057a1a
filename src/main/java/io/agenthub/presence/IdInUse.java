package io.agenthub.presence;

import io.agenthub.protocol.ClientRole;

/** A registration asked for an id that is online or connected, or that another instance resumed first. */
final class IdInUse extends RuntimeException {
  IdInUse(ClientRole role, String clientId) {
    super(role.displayName() + " id " + clientId + " is in use", null, false, false);
  }
}
