package io.agenthub.protocol;

import java.util.Optional;

/** The three kinds of WebSocket client, with the wire names the contract gives them. */
public enum ClientRole {
  FRONTEND("frontend", "Frontend", "frontend_id", "frontend_name", "web_",
      MessageType.REGISTER_FRONTEND, MessageType.REGISTER_FRONTEND_RESPONSE),
  AGENT("agent", "Agent", "agent_id", "agent_name", "agent_",
      MessageType.REGISTER_AGENT, MessageType.REGISTER_AGENT_RESPONSE),
  BROKER("broker", "Broker", "broker_id", "broker_name", "broker_",
      MessageType.REGISTER_BROKER, MessageType.REGISTER_BROKER_RESPONSE);

  private final String connectionType;
  private final String displayName;
  private final String idField;
  private final String nameField;
  private final String idPrefix;
  private final MessageType registerType;
  private final MessageType responseType;

  ClientRole(String connectionType, String displayName, String idField, String nameField,
      String idPrefix, MessageType registerType, MessageType responseType) {
    this.connectionType = connectionType;
    this.displayName = displayName;
    this.idField = idField;
    this.nameField = nameField;
    this.idPrefix = idPrefix;
    this.registerType = registerType;
    this.responseType = responseType;
  }

  /** The value of {@code _connection_type}. */
  public String connectionType() {
    return connectionType;
  }

  /** "Agent", "Frontend", "Broker": used in the contract's texts. */
  public String displayName() {
    return displayName;
  }

  public String idField() {
    return idField;
  }

  public String nameField() {
    return nameField;
  }

  public String idPrefix() {
    return idPrefix;
  }

  public MessageType registerType() {
    return registerType;
  }

  public MessageType responseType() {
    return responseType;
  }

  /** Frontends and brokers watch presence; agents are watched. */
  public boolean watchesPresence() {
    return this != AGENT;
  }

  public static Optional<ClientRole> forRegistration(MessageType type) {
    for (ClientRole role : values()) {
      if (role.registerType == type) {
        return Optional.of(role);
      }
    }
    return Optional.empty();
  }

  public static Optional<ClientRole> forConnectionType(String connectionType) {
    for (ClientRole role : values()) {
      if (role.connectionType.equals(connectionType)) {
        return Optional.of(role);
      }
    }
    return Optional.empty();
  }

  /** The role an id belongs to, read from its prefix ({@code web_}, {@code agent_}, {@code broker_}). */
  public static Optional<ClientRole> ofId(String clientId) {
    if (clientId == null) {
      return Optional.empty();
    }
    for (ClientRole role : values()) {
      if (clientId.startsWith(role.idPrefix)) {
        return Optional.of(role);
      }
    }
    return Optional.empty();
  }
}
