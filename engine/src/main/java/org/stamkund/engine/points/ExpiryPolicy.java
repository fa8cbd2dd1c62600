package org.stamkund.engine.points;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import org.jspecify.annotations.Nullable;
import org.stamkund.engine.program.LoyaltyProgram;

/** When points earned at a moment expire under a programme. */
public final class ExpiryPolicy {

  private ExpiryPolicy() {}

  /**
   * @return the moment a lot earned at {@code earnedAt} expires, or null when lots do not expire
   *     one by one ({@code NEVER}, and {@code INACTIVITY_MONTHS}, where the whole balance expires
   *     after a quiet period instead)
   */
  public static @Nullable Instant lotExpiry(
      LoyaltyProgram.Expiry expiry, Instant earnedAt, ZoneId zone) {
    return switch (expiry.model()) {
      case ROLLING_MONTHS -> earnedAt.atZone(zone).plusMonths(months(expiry)).toInstant();
      case CALENDAR_YEAR -> {
        int year = earnedAt.atZone(zone).getYear() + (expiry.years() == null ? 0 : expiry.years());
        yield LocalDate.of(year + 1, 1, 1).atStartOfDay(zone).toInstant();
      }
      case INACTIVITY_MONTHS, NEVER -> null;
    };
  }

  /**
   * For {@code INACTIVITY_MONTHS}: when the balance expires if nothing happens after {@code
   * lastActivity}.
   */
  public static @Nullable Instant inactivityExpiry(
      LoyaltyProgram.Expiry expiry, Instant lastActivity, ZoneId zone) {
    return expiry.model() == LoyaltyProgram.ExpiryModel.INACTIVITY_MONTHS
        ? lastActivity.atZone(zone).plusMonths(months(expiry)).toInstant()
        : null;
  }

  private static long months(LoyaltyProgram.Expiry expiry) {
    Integer months = expiry.months();
    return months == null ? 0 : months;
  }
}
