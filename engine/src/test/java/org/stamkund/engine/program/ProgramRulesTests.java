package org.stamkund.engine.program;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.stamkund.engine.program.Programs.aProgram;
import static org.stamkund.engine.program.Programs.calendarYear;
import static org.stamkund.engine.program.Programs.inactivityMonths;
import static org.stamkund.engine.program.Programs.levels;
import static org.stamkund.engine.program.Programs.never;
import static org.stamkund.engine.program.Programs.noVouchers;
import static org.stamkund.engine.program.Programs.rollingMonths;
import static org.stamkund.engine.program.Programs.steps;
import static org.stamkund.engine.program.Programs.tier;
import static org.stamkund.engine.program.Programs.wholeBalance;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ListAssert;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.stamkund.engine.InvalidInputException;
import org.stamkund.engine.Violation;
import org.stamkund.engine.program.LoyaltyProgram.Expiry;
import org.stamkund.engine.program.LoyaltyProgram.ExpiryModel;
import org.stamkund.engine.program.LoyaltyProgram.LevelBasis;
import org.stamkund.engine.program.LoyaltyProgram.Levels;
import org.stamkund.engine.program.LoyaltyProgram.Tier;
import org.stamkund.engine.program.LoyaltyProgram.VoucherModel;
import org.stamkund.engine.program.LoyaltyProgram.Vouchers;

class ProgramRulesTests {

  private static ListAssert<Violation> assertViolations(LoyaltyProgram program) {
    try {
      ProgramRules.check(program);
    } catch (InvalidInputException e) {
      return assertThat(e.violations());
    }
    throw new AssertionError("expected the programme to be refused: " + program);
  }

  private static void assertRefusedFor(LoyaltyProgram program, String field, String errorCode) {
    assertViolations(program)
        .extracting(Violation::field, Violation::errorCode)
        .containsExactly(tuple(field, errorCode));
  }

  private static void assertValid(LoyaltyProgram program) {
    assertThatCode(() -> ProgramRules.check(program)).doesNotThrowAnyException();
  }

  private static Vouchers vouchers(String name, int validDays, int maxReactivations) {
    return new Vouchers(
        VoucherModel.STEPS,
        500L,
        new BigDecimal("50"),
        null,
        null,
        name,
        validDays,
        maxReactivations);
  }

  @Test
  void defaultProgrammeIsValid() {
    assertValid(LoyaltyProgram.defaults());
  }

  @Test
  void theIssuesExampleProgrammeIsValid() {
    assertValid(
        aProgram()
            .groupCurrency("SEK")
            .noExchangeRates()
            .exchangeRate("EUR", "11.2")
            .exchangeRate("NOK", "1.0")
            .pointsPerGroupCurrencyUnit("1")
            .pendingDays(0)
            .expiry(rollingMonths(24))
            .levels(levels(12, tier("bronze", 0), tier("silver", 1000)))
            .vouchers(steps(500, "50"))
            .build());
  }

  @Test
  void everyProblemIsListedInTheOrderTheFieldsAreChecked() {
    LoyaltyProgram program =
        aProgram()
            .groupCurrency("kr")
            .pendingDays(-1)
            .expiry(rollingMonths(0))
            .vouchers(vouchers(" ", 0, 101))
            .build();

    assertViolations(program)
        .extracting(Violation::field)
        .containsExactly(
            "groupCurrency",
            "pendingDays",
            "expiry.months",
            "vouchers.name",
            "vouchers.validDays",
            "vouchers.maxReactivations");
  }

  @Test
  void theExceptionMessageNamesTheFirstFieldAndWhatItMustBe() {
    assertThatThrownBy(() -> ProgramRules.check(aProgram().groupCurrency("sek").build()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("groupCurrency: an ISO 4217 code such as SEK");
  }

  @Nested
  class Currencies {

    @ParameterizedTest
    @ValueSource(strings = {"", "SE", "SEKK", "sek", "Sek", "S3K", " SEK"})
    void groupCurrencyMustBeAThreeLetterUpperCaseCode(String currency) {
      assertRefusedFor(
          aProgram().groupCurrency(currency).build(), "groupCurrency", "InvalidCurrency");
    }

    @Test
    void aProgrammeMayHaveNoOtherCurrencies() {
      assertValid(aProgram().noExchangeRates().build());
    }

    @Test
    void exchangeRateCurrencyMustBeAThreeLetterUpperCaseCode() {
      assertRefusedFor(
          aProgram().exchangeRate("eur", "11.2").build(), "exchangeRates.eur", "InvalidCurrency");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "0.0000", "-1", "-11.2"})
    void exchangeRateMustBeGreaterThanZero(String rate) {
      assertRefusedFor(
          aProgram().exchangeRate("DKK", rate).build(), "exchangeRates.DKK", "InvalidExchangeRate");
    }

    @Test
    void aTinyPositiveExchangeRateIsAccepted() {
      assertValid(aProgram().exchangeRate("ISK", "0.0756").build());
    }
  }

  @Nested
  class EarningSettings {

    @ParameterizedTest
    @ValueSource(strings = {"0", "0.01", "1", "2.5", "10"})
    void pointsPerGroupCurrencyUnitMayBeZeroOrMore(String points) {
      assertValid(aProgram().pointsPerGroupCurrencyUnit(points).build());
    }

    @Test
    void pointsPerGroupCurrencyUnitMustNotBeNegative() {
      assertRefusedFor(
          aProgram().pointsPerGroupCurrencyUnit("-0.01").build(),
          "pointsPerGroupCurrencyUnit",
          "InvalidValue");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 30, 3650})
    void pendingDaysFrom0To3650AreAccepted(int days) {
      assertValid(aProgram().pendingDays(days).build());
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 3651, Integer.MIN_VALUE, Integer.MAX_VALUE})
    void pendingDaysOutside0To3650AreRefused(int days) {
      assertRefusedFor(aProgram().pendingDays(days).build(), "pendingDays", "InvalidValue");
    }
  }

  @Nested
  class Expiries {

    @ParameterizedTest
    @ValueSource(ints = {1, 24, 1200})
    void rollingAndInactivityMonthsFrom1To1200AreAccepted(int months) {
      assertValid(aProgram().expiry(rollingMonths(months)).build());
      assertValid(aProgram().expiry(inactivityMonths(months)).build());
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 0, 1201})
    void rollingAndInactivityMonthsOutside1To1200AreRefused(int months) {
      assertRefusedFor(
          aProgram().expiry(rollingMonths(months)).build(), "expiry.months", "InvalidValue");
      assertRefusedFor(
          aProgram().expiry(inactivityMonths(months)).build(), "expiry.months", "InvalidValue");
    }

    @Test
    void rollingAndInactivityModelsNeedMonths() {
      assertRefusedFor(
          aProgram().expiry(new Expiry(ExpiryModel.ROLLING_MONTHS, null, 2)).build(),
          "expiry.months",
          "InvalidValue");
      assertRefusedFor(
          aProgram().expiry(new Expiry(ExpiryModel.INACTIVITY_MONTHS, null, null)).build(),
          "expiry.months",
          "InvalidValue");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 100})
    void calendarYearsFrom0To100AreAccepted(int years) {
      assertValid(aProgram().expiry(calendarYear(years)).build());
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 101})
    void calendarYearsOutside0To100AreRefused(int years) {
      assertRefusedFor(
          aProgram().expiry(calendarYear(years)).build(), "expiry.years", "InvalidValue");
    }

    @Test
    void calendarYearModelNeedsYears() {
      assertRefusedFor(
          aProgram().expiry(new Expiry(ExpiryModel.CALENDAR_YEAR, 12, null)).build(),
          "expiry.years",
          "InvalidValue");
    }

    @Test
    void neverNeedsNeitherMonthsNorYears() {
      assertValid(aProgram().expiry(never()).build());
    }
  }

  @Nested
  class LevelTiers {

    private LoyaltyProgram withTiers(Tier... tiers) {
      return aProgram().levels(levels(12, tiers)).build();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 12, 120})
    void windowFrom1To120MonthsIsAccepted(int months) {
      assertValid(aProgram().levels(levels(months, tier("bronze", 0))).build());
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 0, 121})
    void windowOutside1To120MonthsIsRefused(int months) {
      assertRefusedFor(
          aProgram().levels(levels(months, tier("bronze", 0))).build(),
          "levels.windowMonths",
          "InvalidValue");
    }

    @Test
    void amountSpentIsAValidBasis() {
      assertValid(
          aProgram()
              .levels(
                  new Levels(
                      LevelBasis.AMOUNT_SPENT,
                      12,
                      List.of(tier("bronze", 0), tier("silver", 10_000))))
              .build());
    }

    @Test
    void aProgrammeNeedsAtLeastOneTier() {
      assertRefusedFor(withTiers(), "levels.tiers", "InvalidValue");
    }

    @Test
    void aSingleTierFromZeroIsEnough() {
      assertValid(withTiers(tier("member", 0)));
    }

    @Test
    void theFirstTierStartsAtZero() {
      assertRefusedFor(
          withTiers(tier("bronze", 100), tier("silver", 1000)),
          "levels.tiers[0].threshold",
          "InvalidValue");
    }

    @Test
    void thresholdsMustRiseFromTierToTier() {
      assertViolations(
              withTiers(tier("bronze", 0), tier("silver", 1000), tier("gold", 1000), tier("x", 5)))
          .extracting(Violation::field)
          .containsExactly("levels.tiers[2].threshold", "levels.tiers[3].threshold");
    }

    @Test
    void tierIdsMustBeUnique() {
      assertRefusedFor(
          withTiers(tier("bronze", 0), tier("bronze", 1000)), "levels.tiers[1].id", "InvalidValue");
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "",
          "silver level",
          "silver.level",
          "silvér",
        })
    void tierIdsAreOneTo64LettersDigitsDashesOrUnderscores(String id) {
      assertRefusedFor(
          withTiers(tier("bronze", 0), new Tier(id, "Silver", 1000)),
          "levels.tiers[1].id",
          "InvalidValue");
    }

    @Test
    void tierIdsAreAtMost64Characters() {
      assertValid(withTiers(tier("bronze", 0), new Tier("s".repeat(64), "Silver", 1000)));
      assertRefusedFor(
          withTiers(tier("bronze", 0), new Tier("s".repeat(65), "Silver", 1000)),
          "levels.tiers[1].id",
          "InvalidValue");
    }

    @ParameterizedTest
    @ValueSource(strings = {"s", "Silver_2", "silver-level", "0"})
    void plainTierIdsAreAccepted(String id) {
      assertValid(withTiers(tier("bronze", 0), new Tier(id, "Silver", 1000)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "\t"})
    void tiersNeedAName(String name) {
      assertRefusedFor(
          withTiers(new Tier("bronze", name, 0)), "levels.tiers[0].name", "InvalidValue");
    }
  }

  @Nested
  class VoucherSettings {

    private LoyaltyProgram withVouchers(Vouchers vouchers) {
      return aProgram().vouchers(vouchers).build();
    }

    private Vouchers stepsOf(@Nullable Long pointsPerStep, @Nullable String valuePerStep) {
      return new Vouchers(
          VoucherModel.STEPS,
          pointsPerStep,
          valuePerStep == null ? null : new BigDecimal(valuePerStep),
          null,
          null,
          "Bonus check",
          90,
          3);
    }

    private Vouchers wholeBalanceOf(@Nullable Long minimumPoints, @Nullable String valuePerPoint) {
      return new Vouchers(
          VoucherModel.WHOLE_BALANCE,
          null,
          null,
          minimumPoints,
          valuePerPoint == null ? null : new BigDecimal(valuePerPoint),
          "Bonus check",
          90,
          3);
    }

    @Test
    void stepsNeedPointsPerStepAndValuePerStep() {
      assertViolations(withVouchers(stepsOf(null, null)))
          .extracting(Violation::field)
          .containsExactly("vouchers.pointsPerStep", "vouchers.valuePerStep");
    }

    @Test
    void stepsNeedAtLeastOnePointPerStepAndAPositiveValue() {
      assertViolations(withVouchers(stepsOf(0L, "0")))
          .extracting(Violation::field)
          .containsExactly("vouchers.pointsPerStep", "vouchers.valuePerStep");
      assertRefusedFor(withVouchers(stepsOf(500L, "-50")), "vouchers.valuePerStep", "InvalidValue");
      assertValid(withVouchers(stepsOf(1L, "0.01")));
    }

    @Test
    void wholeBalanceNeedsMinimumPointsAndValuePerPoint() {
      assertViolations(withVouchers(wholeBalanceOf(null, null)))
          .extracting(Violation::field)
          .containsExactly("vouchers.minimumPoints", "vouchers.valuePerPoint");
    }

    @Test
    void wholeBalanceNeedsAPositiveMinimumAndAPositiveValue() {
      assertViolations(withVouchers(wholeBalanceOf(0L, "0")))
          .extracting(Violation::field)
          .containsExactly("vouchers.minimumPoints", "vouchers.valuePerPoint");
      assertValid(withVouchers(wholeBalance(1, "0.001")));
    }

    @Test
    void wholeBalanceIgnoresStepSettingsAndStepsIgnoreWholeBalanceSettings() {
      assertValid(withVouchers(wholeBalance(1000, "0.1")));
      assertValid(withVouchers(steps(500, "50")));
    }

    @Test
    void noVouchersNeedsNoConversionSettings() {
      assertValid(withVouchers(noVouchers()));
    }

    @Test
    void voucherNameIsOneTo200Characters() {
      assertValid(withVouchers(vouchers("x".repeat(200), 90, 3)));
      assertRefusedFor(
          withVouchers(vouchers("x".repeat(201), 90, 3)), "vouchers.name", "InvalidValue");
      assertRefusedFor(withVouchers(vouchers("", 90, 3)), "vouchers.name", "InvalidValue");
    }

    @Test
    void vouchersAreValidFrom1To3650Days() {
      assertValid(withVouchers(vouchers("Bonus check", 1, 3)));
      assertValid(withVouchers(vouchers("Bonus check", 3650, 3)));
      assertRefusedFor(
          withVouchers(vouchers("Bonus check", 0, 3)), "vouchers.validDays", "InvalidValue");
      assertRefusedFor(
          withVouchers(vouchers("Bonus check", 3651, 3)), "vouchers.validDays", "InvalidValue");
    }

    @Test
    void vouchersMayBeReactivated0To100Times() {
      assertValid(withVouchers(vouchers("Bonus check", 90, 0)));
      assertValid(withVouchers(vouchers("Bonus check", 90, 100)));
      assertRefusedFor(
          withVouchers(vouchers("Bonus check", 90, -1)),
          "vouchers.maxReactivations",
          "InvalidValue");
      assertRefusedFor(
          withVouchers(vouchers("Bonus check", 90, 101)),
          "vouchers.maxReactivations",
          "InvalidValue");
    }
  }

  @Nested
  class ExchangeRateLookup {

    @Test
    void theGroupCurrencyIsWorthOneGroupCurrencyUnit() {
      assertThat(LoyaltyProgram.defaults().rate("SEK")).contains(BigDecimal.ONE);
    }

    @Test
    void otherCurrenciesAreWorthTheirConfiguredRate() {
      assertThat(LoyaltyProgram.defaults().rate("EUR")).contains(new BigDecimal("11.2"));
      assertThat(LoyaltyProgram.defaults().rate("NOK")).contains(BigDecimal.ONE);
    }

    @Test
    void currencyCodesAreLookedUpIgnoringCase() {
      assertThat(LoyaltyProgram.defaults().rate("sek")).contains(BigDecimal.ONE);
      assertThat(LoyaltyProgram.defaults().rate("eur")).contains(new BigDecimal("11.2"));
    }

    @Test
    void anUnconfiguredCurrencyHasNoRate() {
      assertThat(LoyaltyProgram.defaults().rate("USD")).isEmpty();
    }

    @Test
    void aProgrammeKeepsItsOwnCopyOfTheExchangeRates() {
      Map<String, BigDecimal> rates = new HashMap<>(Map.of("EUR", new BigDecimal("11.2")));
      LoyaltyProgram program =
          new LoyaltyProgram(
              "SEK",
              rates,
              BigDecimal.ONE,
              0,
              rollingMonths(24),
              levels(12, tier("bronze", 0)),
              steps(500, "50"),
              LoyaltyProgram.NegativeBalance.ALLOW);

      rates.put("EUR", new BigDecimal("99"));

      assertThat(program.rate("EUR")).contains(new BigDecimal("11.2"));
      assertThatThrownBy(() -> program.exchangeRates().put("USD", BigDecimal.TEN))
          .isInstanceOf(UnsupportedOperationException.class);
    }
  }
}
