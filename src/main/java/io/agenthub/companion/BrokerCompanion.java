package io.agenthub.companion;

public final class BrokerCompanion {
  private BrokerCompanion() {
  }

  public static void main(String[] args) {
    throw new UnsupportedOperationException("pending");
  }
}
