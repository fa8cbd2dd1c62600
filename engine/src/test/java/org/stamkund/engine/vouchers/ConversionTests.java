package org.stamkund.engine.vouchers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stamkund.engine.program.Programs.aProgram;
import static org.stamkund.engine.program.Programs.noVouchers;
import static org.stamkund.engine.program.Programs.steps;
import static org.stamkund.engine.program.Programs.wholeBalance;

import java.math.BigDecimal;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.stamkund.engine.program.LoyaltyProgram;
import org.stamkund.engine.program.Programs;
import org.stamkund.engine.vouchers.Conversion.Issue;

class ConversionTests {

  private static final LoyaltyProgram.Vouchers FIFTY_KRONOR_PER_500_POINTS = steps(500, "50");
  private static final LoyaltyProgram.Vouchers TEN_ORE_PER_POINT_FROM_1000 =
      wholeBalance(1000, "0.1");

  @Test
  void everyFullStepBecomesOneVoucherOfTheStepsValue() {
    assertThat(Conversion.convert(FIFTY_KRONOR_PER_500_POINTS, 1499))
        .containsExactly(
            new Issue(500, new BigDecimal("50")), new Issue(500, new BigDecimal("50")));
  }

  @Test
  void exactlyOneStepBecomesOneVoucher() {
    assertThat(Conversion.convert(FIFTY_KRONOR_PER_500_POINTS, 500))
        .containsExactly(new Issue(500, new BigDecimal("50")));
  }

  @ParameterizedTest
  @ValueSource(longs = {499, 1, 0, -1, -600})
  void aBalanceBelowOneStepConvertsNothing(long available) {
    assertThat(Conversion.convert(FIFTY_KRONOR_PER_500_POINTS, available)).isEmpty();
  }

  @Test
  void aLargeBalanceConvertsAtMostTheLimitAtOnce() {
    assertThat(Conversion.convert(FIFTY_KRONOR_PER_500_POINTS, 500L * 150))
        .hasSize(Conversion.MAX_VOUCHERS_AT_ONCE)
        .containsOnly(new Issue(500, new BigDecimal("50")));
    assertThat(Conversion.convert(FIFTY_KRONOR_PER_500_POINTS, Long.MAX_VALUE))
        .hasSize(Conversion.MAX_VOUCHERS_AT_ONCE);
  }

  @Test
  void theLimitItselfConvertsInFull() {
    long limit = Conversion.MAX_VOUCHERS_AT_ONCE;

    assertThat(Conversion.convert(FIFTY_KRONOR_PER_500_POINTS, 500 * limit + 499))
        .hasSize(Conversion.MAX_VOUCHERS_AT_ONCE);
    assertThat(Conversion.convert(FIFTY_KRONOR_PER_500_POINTS, 500 * limit - 1))
        .hasSize(Conversion.MAX_VOUCHERS_AT_ONCE - 1);
  }

  @Test
  void aOnePointStepConvertsEveryPoint() {
    assertThat(Conversion.convert(steps(1, "0.10"), 3))
        .containsExactly(
            new Issue(1, new BigDecimal("0.10")),
            new Issue(1, new BigDecimal("0.10")),
            new Issue(1, new BigDecimal("0.10")));
  }

  @Test
  void theWholeBalanceBecomesOneVoucherFromTheMinimum() {
    assertThat(Conversion.convert(TEN_ORE_PER_POINT_FROM_1000, 1234))
        .containsExactly(new Issue(1234, new BigDecimal("123.40")));
  }

  @Test
  void exactlyTheMinimumConverts() {
    assertThat(Conversion.convert(TEN_ORE_PER_POINT_FROM_1000, 1000))
        .containsExactly(new Issue(1000, new BigDecimal("100.00")));
  }

  @ParameterizedTest
  @ValueSource(longs = {999, 1, 0, -5})
  void aBalanceBelowTheMinimumConvertsNothing(long available) {
    assertThat(Conversion.convert(TEN_ORE_PER_POINT_FROM_1000, available)).isEmpty();
  }

  @Test
  void aWholeBalanceVoucherIsRoundedDownToCents() {
    // 1001 × 0.015 = 15.015; 1333 × 0.0333 = 44.3889
    assertThat(Conversion.convert(wholeBalance(1000, "0.015"), 1001))
        .containsExactly(new Issue(1001, new BigDecimal("15.01")));
    assertThat(Conversion.convert(wholeBalance(1000, "0.0333"), 1333))
        .containsExactly(new Issue(1333, new BigDecimal("44.38")));
  }

  @Test
  void aVeryLargeWholeBalanceIsNotLimited() {
    assertThat(Conversion.convert(wholeBalance(1, "1"), 10_000_000))
        .containsExactly(new Issue(10_000_000, new BigDecimal("10000000.00")));
  }

  @ParameterizedTest
  @ValueSource(longs = {0, 500, 1_000_000})
  void aProgrammeWithoutVouchersNeverConverts(long available) {
    assertThat(Conversion.convert(noVouchers(), available)).isEmpty();
  }

  @Test
  void aVoucherHasALocalValueInEveryOtherConfiguredCurrency() {
    Map<String, BigDecimal> local =
        Conversion.localValues(Programs.defaults(), new BigDecimal("50"));

    assertThat(local).containsOnlyKeys("EUR", "NOK");
    assertThat(local.get("EUR")).isEqualTo(new BigDecimal("4.46"));
    assertThat(local.get("NOK")).isEqualTo(new BigDecimal("50.00"));
  }

  @Test
  void localValuesAreTheValueDividedByTheRateRoundedToCents() {
    LoyaltyProgram program =
        aProgram()
            .noExchangeRates()
            .exchangeRate("EUR", "11.2")
            .exchangeRate("DKK", "1.52")
            .exchangeRate("ISK", "0.0756")
            .build();

    Map<String, BigDecimal> local = Conversion.localValues(program, new BigDecimal("100"));

    // 100 / 11.2 = 8.928…; 100 / 1.52 = 65.789…; 100 / 0.0756 = 1322.751…
    assertThat(local)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "EUR", new BigDecimal("8.93"),
                "DKK", new BigDecimal("65.79"),
                "ISK", new BigDecimal("1322.75")));
  }

  @Test
  void localValuesAreListedByCurrencyCode() {
    LoyaltyProgram program =
        aProgram().exchangeRate("DKK", "1.52").exchangeRate("USD", "10.5").build();

    assertThat(Conversion.localValues(program, new BigDecimal("50")).keySet())
        .containsExactly("DKK", "EUR", "NOK", "USD");
  }

  @Test
  void aProgrammeWithOnlyItsGroupCurrencyHasNoLocalValues() {
    assertThat(Conversion.localValues(aProgram().noExchangeRates().build(), new BigDecimal("50")))
        .isEmpty();
  }
}
