package org.stamkund.engine.promotions;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * How long an assigned instance stays usable, counted from its assignment (Engage's {@code
 * assignedValidity}).
 *
 * @param unit days or months
 * @param amount how many, at least 1
 */
public record AssignedValidity(Unit unit, int amount) {

  /** The unit of an assigned validity. */
  public enum Unit {
    DAYS("Days"),
    MONTHS("Months");

    private final String wireName;

    Unit(String wireName) {
      this.wireName = wireName;
    }

    /** {@code Days} or {@code Months}. */
    public String wireName() {
      return wireName;
    }

    /** Reads {@code Days} or {@code Months} in any case; empty for anything else. */
    public static Optional<Unit> parse(@Nullable String raw) {
      if (raw == null) {
        return Optional.empty();
      }
      String lower = raw.strip().toLowerCase(Locale.ROOT);
      for (Unit unit : values()) {
        if (unit.wireName.toLowerCase(Locale.ROOT).equals(lower)) {
          return Optional.of(unit);
        }
      }
      return Optional.empty();
    }
  }

  /**
   * @throws IllegalArgumentException when {@code amount} is below 1
   */
  public AssignedValidity {
    if (amount < 1) {
      throw new IllegalArgumentException("amount must be at least 1, was " + amount);
    }
  }

  /**
   * The end of the period that starts at {@code assignedAt}: calendar days or months in {@code
   * zone}, so the local time of day is kept across daylight saving and a month from the 31st ends
   * on the last day of a shorter month.
   *
   * @return the end, or null when it lies beyond the year 9999 (the period never ends in practice)
   */
  public @Nullable Instant after(Instant assignedAt, ZoneId zone) {
    try {
      java.time.ZonedDateTime end =
          switch (unit) {
            case DAYS -> assignedAt.atZone(zone).plusDays(amount);
            case MONTHS -> assignedAt.atZone(zone).plusMonths(amount);
          };
      return end.getYear() > 9999 ? null : end.toInstant();
    } catch (java.time.DateTimeException e) {
      return null;
    }
  }
}
