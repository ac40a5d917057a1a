package io.agenthub.bridge;

/** Why a message could not be delivered; the message is the {@code x-hub-reason} header of its dead letter. */
final class Undeliverable extends RuntimeException {
  /** The receiver is not connected (anymore): a frontend or broker may still resume and get it. */
  private final boolean receiverGone;

  Undeliverable(String reason) {
    this(reason, false);
  }

  Undeliverable(String reason, boolean receiverGone) {
    super(reason, null, false, false);
    this.receiverGone = receiverGone;
  }

  boolean receiverGone() {
    return receiverGone;
  }
}
