package io.agenthub.protocol;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * The old hub's timestamp format, used by every timestamp a client sees ({@code send_timestamp}, {@code last_seen},
 * {@code timestamp}): ISO-8601 local date-time in UTC to the microsecond, trailing zeros of the fraction left out,
 * e.g. {@code 2025-04-08T10:00:00.123456}. The instant is always given: the protocol never reads the time itself.
 */
public final class Timestamps {
  private static final DateTimeFormatter FORMAT = DateTimeFormatter.ISO_LOCAL_DATE_TIME;

  private Timestamps() {
  }

  public static String format(Instant at) {
    return LocalDateTime.ofInstant(at, ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS).format(FORMAT);
  }

  /** Reads what {@link #format} wrote (or any ISO-8601 local date-time, taken as UTC). */
  public static Instant parse(String timestamp) {
    return LocalDateTime.parse(timestamp, FORMAT).toInstant(ZoneOffset.UTC);
  }

  /** The instant as {@link #format} writes it: to the microsecond, so that it survives a round trip unchanged. */
  public static Instant truncate(Instant at) {
    return at.truncatedTo(ChronoUnit.MICROS);
  }
}
