package io.agenthub.gateway;

import java.util.ArrayList;
import java.util.List;

/**
 * The duplicate guard of one client's session: the delivery keys of the last {@value #SIZE} frames written to it that
 * had one. A repeat comes from a redelivery, which RabbitMQ makes within moments of the first delivery's instance
 * dying or losing its connection, so a few prefetches' worth of frames is plenty. A resumed session starts from the
 * keys its previous socket had (protocol extension "session resume"), so the guard follows the client to its new
 * socket, on any instance. Touched only on the gateway's context.
 */
final class RecentKeys {
  static final int SIZE = 32;

  /** A ring, oldest overwritten first; null until the first key, so an idle socket pays nothing. */
  private String[] keys;
  private int next;

  /**
   * True when the key is one of the last remembered; otherwise it is remembered and false returned, so the caller
   * writes the frame. A null key (a frame not from {@code broker_output_queue}) is never a repeat.
   */
  boolean repeats(String key) {
    if (key == null) {
      return false;
    }
    if (keys == null) {
      keys = new String[SIZE];
    }
    for (String recent : keys) {
      if (key.equals(recent)) {
        return true;
      }
    }
    keys[next] = key;
    next = (next + 1) % SIZE;
    return false;
  }

  /**
   * The frame with this key was not written after all (its socket closed under it): the key is forgotten, so that the
   * message, parked for the client's resume, is written to the resumed socket rather than skipped as a repeat.
   */
  void forget(String key) {
    if (key == null || keys == null) {
      return;
    }
    for (int i = 0; i < SIZE; i++) {
      if (key.equals(keys[i])) {
        keys[i] = null;
      }
    }
  }

  /** The keys remembered, oldest first. */
  List<String> toList() {
    List<String> list = new ArrayList<>();
    if (keys != null) {
      for (int i = 0; i < SIZE; i++) {
        String key = keys[(next + i) % SIZE];
        if (key != null) {
          list.add(key);
        }
      }
    }
    return list;
  }

  /** Remembers keys written to an earlier socket of the session, oldest first, as if written here. */
  void rememberAll(List<String> earlier) {
    earlier.forEach(this::repeats);
  }
}
