package io.agenthub.companion;

public final class EchoAgentCompanion {
  private EchoAgentCompanion() {
  }

  public static void main(String[] args) {
    throw new UnsupportedOperationException("pending");
  }
}
