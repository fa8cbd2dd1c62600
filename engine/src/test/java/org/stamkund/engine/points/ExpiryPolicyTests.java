package org.stamkund.engine.points;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stamkund.engine.program.Programs.calendarYear;
import static org.stamkund.engine.program.Programs.inactivityMonths;
import static org.stamkund.engine.program.Programs.never;
import static org.stamkund.engine.program.Programs.rollingMonths;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ExpiryPolicyTests {

  private static final ZoneId STOCKHOLM = ZoneId.of("Europe/Stockholm");
  private static final Instant EARNED = Instant.parse("2026-11-22T10:00:00Z");

  @Test
  void rollingMonthsExpireThatManyMonthsAfterEarning() {
    assertThat(ExpiryPolicy.lotExpiry(rollingMonths(24), EARNED, STOCKHOLM))
        .isEqualTo(Instant.parse("2028-11-22T10:00:00Z"));
    assertThat(ExpiryPolicy.lotExpiry(rollingMonths(1), EARNED, STOCKHOLM))
        .isEqualTo(Instant.parse("2026-12-22T10:00:00Z"));
  }

  @Test
  void rollingMonthsKeepTheLocalTimeAcrossDaylightSaving() {
    // 12:00 summer time in June; 12:00 winter time in December
    assertThat(
            ExpiryPolicy.lotExpiry(
                rollingMonths(6), Instant.parse("2026-06-15T10:00:00Z"), STOCKHOLM))
        .isEqualTo(Instant.parse("2026-12-15T11:00:00Z"));
  }

  @Test
  void rollingMonthsFromTheEndOfAMonthEndAtTheEndOfAShorterMonth() {
    assertThat(
            ExpiryPolicy.lotExpiry(
                rollingMonths(6), Instant.parse("2026-08-31T10:00:00Z"), STOCKHOLM))
        .isEqualTo(Instant.parse("2027-02-28T11:00:00Z"));
    assertThat(
            ExpiryPolicy.lotExpiry(
                rollingMonths(12), Instant.parse("2028-02-29T10:00:00Z"), STOCKHOLM))
        .isEqualTo(Instant.parse("2029-02-28T10:00:00Z"));
  }

  @Test
  void calendarYearExpiresAtTheStartOfTheYearAfterTheConfiguredYears() {
    assertThat(ExpiryPolicy.lotExpiry(calendarYear(0), EARNED, STOCKHOLM))
        .isEqualTo(Instant.parse("2026-12-31T23:00:00Z"));
    assertThat(ExpiryPolicy.lotExpiry(calendarYear(1), EARNED, STOCKHOLM))
        .isEqualTo(Instant.parse("2027-12-31T23:00:00Z"));
    assertThat(ExpiryPolicy.lotExpiry(calendarYear(2), EARNED, STOCKHOLM))
        .isEqualTo(Instant.parse("2028-12-31T23:00:00Z"));
  }

  @Test
  void calendarYearCountsTheYearInTheProgrammesZone() {
    Instant newYearsNightInStockholm = Instant.parse("2026-12-31T23:30:00Z");

    assertThat(ExpiryPolicy.lotExpiry(calendarYear(0), newYearsNightInStockholm, STOCKHOLM))
        .isEqualTo(Instant.parse("2027-12-31T23:00:00Z"));
    assertThat(ExpiryPolicy.lotExpiry(calendarYear(0), newYearsNightInStockholm, ZoneOffset.UTC))
        .isEqualTo(Instant.parse("2027-01-01T00:00:00Z"));
  }

  @Test
  void pointsEarnedAtTheFirstMomentOfAYearCountForThatYear() {
    Instant firstMomentOf2026 = Instant.parse("2025-12-31T23:00:00Z");

    assertThat(ExpiryPolicy.lotExpiry(calendarYear(0), firstMomentOf2026, STOCKHOLM))
        .isEqualTo(Instant.parse("2026-12-31T23:00:00Z"));
  }

  @Test
  void pointsEarnedTheLastMomentBeforeTheYearEndsExpireWithThatYear() {
    Instant lastSecondOf2026 = Instant.parse("2026-12-31T22:59:59Z");

    assertThat(ExpiryPolicy.lotExpiry(calendarYear(0), lastSecondOf2026, STOCKHOLM))
        .isEqualTo(Instant.parse("2026-12-31T23:00:00Z"));
  }

  @Test
  void lotsDoNotExpireOneByOneUnderInactivityOrNever() {
    assertThat(ExpiryPolicy.lotExpiry(inactivityMonths(12), EARNED, STOCKHOLM)).isNull();
    assertThat(ExpiryPolicy.lotExpiry(never(), EARNED, STOCKHOLM)).isNull();
  }

  @Test
  void underInactivityTheBalanceExpiresThatManyMonthsAfterTheLastActivity() {
    // 11:00 winter time in November; 11:00 summer time in May
    assertThat(ExpiryPolicy.inactivityExpiry(inactivityMonths(18), EARNED, STOCKHOLM))
        .isEqualTo(Instant.parse("2028-05-22T09:00:00Z"));
  }

  @Test
  void onlyTheInactivityModelHasAnInactivityExpiry() {
    assertThat(ExpiryPolicy.inactivityExpiry(rollingMonths(24), EARNED, STOCKHOLM)).isNull();
    assertThat(ExpiryPolicy.inactivityExpiry(calendarYear(1), EARNED, STOCKHOLM)).isNull();
    assertThat(ExpiryPolicy.inactivityExpiry(never(), EARNED, STOCKHOLM)).isNull();
  }
}
