package io.agenthub.companion;

import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The reference echo agent drops a question it has answered, or is answering, already: the reference broker sends a
 * question again to another agent when the first went offline before answering, with the same
 * {@code idempotency_key}, and a question may come back to an agent that did get it. The last {@value #REMEMBERED}
 * keys answered are remembered. A question without a key is always answered. Guarded by its lock.
 */
final class RepeatGuard {
  static final int REMEMBERED = 10_000;

  private final Set<String> inProgress = new HashSet<>();
  private final LinkedHashSet<String> answered = new LinkedHashSet<>();

  /** True when the question is to be answered; it is then in progress until answered or released. */
  synchronized boolean admit(String key) {
    if (key == null) {
      return true;
    }
    if (answered.contains(key) || inProgress.contains(key)) {
      return false;
    }
    inProgress.add(key);
    return true;
  }

  /** The question's answer was sent: a repeat of it is dropped from now on. */
  synchronized void answered(String key) {
    if (key == null) {
      return;
    }
    inProgress.remove(key);
    answered.add(key);
    if (answered.size() > REMEMBERED) {
      Iterator<String> oldest = answered.iterator();
      oldest.next();
      oldest.remove();
    }
  }

  /** The answer was not sent (the question went back to its queue): it may be answered when it comes again. */
  synchronized void released(String key) {
    if (key != null) {
      inProgress.remove(key);
    }
  }
}
