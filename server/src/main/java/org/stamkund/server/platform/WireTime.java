package org.stamkund.server.platform;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.Optional;

/**
 * Instants on the wire: written as ISO-8601 with the server's offset, read leniently — with an
 * offset, without one (server zone), with a space instead of {@code T} as in the changes feed's
 * {@code 2023-05-04 11:20:00.000}, or as a bare date (its start).
 */
public final class WireTime {

  private static final DateTimeFormatter LOCAL =
      new DateTimeFormatterBuilder()
          .parseCaseInsensitive()
          .append(DateTimeFormatter.ISO_LOCAL_DATE)
          .optionalStart()
          .appendLiteral('T')
          .optionalEnd()
          .optionalStart()
          .appendLiteral(' ')
          .optionalEnd()
          .appendValue(ChronoField.HOUR_OF_DAY, 2)
          .appendLiteral(':')
          .appendValue(ChronoField.MINUTE_OF_HOUR, 2)
          .optionalStart()
          .appendLiteral(':')
          .appendValue(ChronoField.SECOND_OF_MINUTE, 2)
          .optionalStart()
          .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
          .optionalEnd()
          .optionalEnd()
          .toFormatter();

  private WireTime() {}

  /** The earliest and latest instants accepted: years 1800 to 2300. */
  private static final Instant EARLIEST = Instant.parse("1800-01-01T00:00:00Z");

  private static final Instant LATEST = Instant.parse("2300-12-31T23:59:59Z");

  /**
   * Parses an instant in any accepted form; empty when it is none of them or lies outside the years
   * 1800-2300.
   */
  public static Optional<Instant> parse(String raw, ZoneId zone) {
    return parseAnyYear(raw, zone).filter(i -> !i.isBefore(EARLIEST) && !i.isAfter(LATEST));
  }

  private static Optional<Instant> parseAnyYear(String raw, ZoneId zone) {
    String text = raw.strip();
    try {
      return Optional.of(OffsetDateTime.parse(text.replace(' ', 'T')).toInstant());
    } catch (DateTimeParseException notWithOffset) {
      // Query strings turn an unencoded '+' of an offset into a space: put it back.
      if (text.length() > 19 && text.charAt(text.length() - 6) == ' ') {
        String repaired =
            text.substring(0, text.length() - 6) + "+" + text.substring(text.length() - 5);
        try {
          return Optional.of(OffsetDateTime.parse(repaired.replace(' ', 'T')).toInstant());
        } catch (DateTimeParseException ignored) {
          // fall through to the local forms
        }
      }
    }
    try {
      return Optional.of(LocalDateTime.parse(text, LOCAL).atZone(zone).toInstant());
    } catch (DateTimeParseException notLocal) {
      // fall through
    }
    try {
      return Optional.of(LocalDate.parse(text).atStartOfDay(zone).toInstant());
    } catch (DateTimeParseException notDate) {
      return Optional.empty();
    }
  }

  /** Writes an instant as ISO-8601 with the offset of the given zone. */
  public static String format(Instant instant, ZoneId zone) {
    return instant.atZone(zone).toOffsetDateTime().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
  }
}
