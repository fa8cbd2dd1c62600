package org.stamkund.server.platform;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
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
    Optional<Instant> common = parseCommonForm(text);
    if (common.isPresent()) {
      return common;
    }
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

  /**
   * The form nearly every caller sends, {@code 2024-05-04T11:20:00[.fraction](Z|+hh:mm|-hh:mm)},
   * read digit by digit: a formatter costs a few microseconds on every receipt. Anything else, or
   * anything out of range, is empty here and left to the formatters.
   */
  static Optional<Instant> parseCommonForm(String t) {
    int n = t.length();
    if (n < 20
        || t.charAt(4) != '-'
        || t.charAt(7) != '-'
        || t.charAt(10) != 'T'
        || t.charAt(13) != ':'
        || t.charAt(16) != ':') {
      return Optional.empty();
    }
    int end;
    int offsetSeconds;
    if (t.charAt(n - 1) == 'Z') {
      end = n - 1;
      offsetSeconds = 0;
    } else if (n >= 25
        && (t.charAt(n - 6) == '+' || t.charAt(n - 6) == '-')
        && t.charAt(n - 3) == ':') {
      end = n - 6;
      int hours = digits(t, n - 5, n - 3);
      int minutes = digits(t, n - 2, n);
      if (hours < 0 || minutes < 0) {
        return Optional.empty();
      }
      offsetSeconds = (t.charAt(n - 6) == '-' ? -1 : 1) * (hours * 3600 + minutes * 60);
    } else {
      return Optional.empty();
    }
    int nanos = 0;
    if (end > 19) {
      int fraction = end - 20;
      if (t.charAt(19) != '.' || fraction < 1 || fraction > 9) {
        return Optional.empty();
      }
      nanos = digits(t, 20, end);
      if (nanos < 0) {
        return Optional.empty();
      }
      for (int i = fraction; i < 9; i++) {
        nanos *= 10;
      }
    } else if (end != 19) {
      return Optional.empty();
    }
    int year = digits(t, 0, 4);
    int month = digits(t, 5, 7);
    int day = digits(t, 8, 10);
    int hour = digits(t, 11, 13);
    int minute = digits(t, 14, 16);
    int second = digits(t, 17, 19);
    if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          LocalDateTime.of(year, month, day, hour, minute, second, nanos)
              .toInstant(java.time.ZoneOffset.ofTotalSeconds(offsetSeconds)));
    } catch (java.time.DateTimeException outOfRange) {
      return Optional.empty();
    }
  }

  /** The decimal number in {@code t[from, to)}, or -1 when a character is not a digit. */
  private static int digits(String t, int from, int to) {
    int value = 0;
    for (int i = from; i < to; i++) {
      char c = t.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  /** Writes an instant as ISO-8601 with the offset of the given zone. */
  public static String format(Instant instant, ZoneId zone) {
    ZoneOffset offset = zone.getRules().getOffset(instant);
    LocalDateTime t =
        LocalDateTime.ofEpochSecond(instant.getEpochSecond(), instant.getNano(), offset);
    if (t.getYear() < 1000 || t.getYear() > 9999) {
      return t.atOffset(offset).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    }
    // What ISO_OFFSET_DATE_TIME writes, digit by digit: its formatter cost a few percent of a key
    // lookup, which writes two of these.
    StringBuilder text = new StringBuilder(35);
    digits(text, t.getYear(), 4).append('-');
    digits(text, t.getMonthValue(), 2).append('-');
    digits(text, t.getDayOfMonth(), 2).append('T');
    digits(text, t.getHour(), 2).append(':');
    digits(text, t.getMinute(), 2).append(':');
    digits(text, t.getSecond(), 2);
    int nano = t.getNano();
    if (nano > 0) {
      int width = 9;
      while (nano % 10 == 0) {
        nano /= 10;
        width--;
      }
      digits(text.append('.'), nano, width);
    }
    return text.append(offset.getId()).toString();
  }

  private static StringBuilder digits(StringBuilder text, int value, int width) {
    String number = Integer.toString(value);
    for (int i = number.length(); i < width; i++) {
      text.append('0');
    }
    return text.append(number);
  }
}
