package io.agenthub.gateway;

import io.agenthub.protocol.ClientRole;

/**
 * Who a socket's client is, set once, when presence gave it its id: its role, that id, its checked name, the
 * protocol extensions its registration asked for, and when (on the gateway's clock) it registered.
 */
record RegisteredClient(ClientRole role, String clientId, String name, RegistrationOptions options,
    long registeredAtNanos) {
}
