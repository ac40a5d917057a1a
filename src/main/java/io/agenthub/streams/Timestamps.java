package io.agenthub.streams;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** The old hub's timestamp format for an instant. */
final class Timestamps {
  private Timestamps() {
  }

  static String iso(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC).toLocalDateTime().truncatedTo(ChronoUnit.MICROS)
        .format(DateTimeFormatter.ISO_LOCAL_DATE_TIME);
  }
}
