package org.stamkund.engine.program;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The rules of a customer club. Immutable; a change applies to receipts processed after it.
 *
 * @param groupCurrency ISO 4217 code all points and voucher values are counted in
 * @param exchangeRates group-currency units per one unit of each other currency
 * @param pointsPerGroupCurrencyUnit points earned per unit of group currency paid
 * @param pendingDays days before earned points can be used; 0 for at once
 * @param expiry when earned points expire
 * @param levels the member levels
 * @param vouchers how points become reward vouchers
 * @param negativeBalance whether a return may take a balance below zero
 */
public record LoyaltyProgram(
    String groupCurrency,
    Map<String, BigDecimal> exchangeRates,
    BigDecimal pointsPerGroupCurrencyUnit,
    int pendingDays,
    Expiry expiry,
    Levels levels,
    Vouchers vouchers,
    NegativeBalance negativeBalance) {

  public LoyaltyProgram {
    exchangeRates = Map.copyOf(exchangeRates);
  }

  /** How earned points expire. */
  public enum ExpiryModel {
    /** {@code months} after they were earned. */
    ROLLING_MONTHS,
    /** At the end of the calendar year {@code years} after the year they were earned in. */
    CALENDAR_YEAR,
    /** All at once, after {@code months} without a purchase. */
    INACTIVITY_MONTHS,
    /** Never. */
    NEVER
  }

  /** Expiry settings; {@code months} or {@code years} as the model needs. */
  public record Expiry(ExpiryModel model, @Nullable Integer months, @Nullable Integer years) {}

  /** What a level is measured by, over the last {@code windowMonths}. */
  public enum LevelBasis {
    POINTS_EARNED,
    AMOUNT_SPENT
  }

  /** One level: held from {@code threshold} points earned or amount spent. */
  public record Tier(String id, String name, long threshold) {}

  /** Level settings; tiers in ascending threshold, the first at 0. */
  public record Levels(LevelBasis basis, int windowMonths, List<Tier> tiers) {

    public Levels {
      tiers = List.copyOf(tiers);
    }
  }

  /** How points become vouchers. */
  public enum VoucherModel {
    /** Every {@code pointsPerStep} points become one voucher worth {@code valuePerStep}. */
    STEPS,
    /**
     * From {@code minimumPoints}, the whole balance becomes one voucher of {@code valuePerPoint}
     * each.
     */
    WHOLE_BALANCE,
    /** Points are never converted. */
    NONE
  }

  /** Voucher settings; the fields the model needs are set. */
  public record Vouchers(
      VoucherModel model,
      @Nullable Long pointsPerStep,
      @Nullable BigDecimal valuePerStep,
      @Nullable Long minimumPoints,
      @Nullable BigDecimal valuePerPoint,
      String name,
      int validDays,
      int maxReactivations) {}

  /** What a return does to a balance it would take below zero. */
  public enum NegativeBalance {
    ALLOW,
    CLAMP
  }

  /** Group-currency units per unit of {@code currency}; 1 for the group currency itself. */
  public Optional<BigDecimal> rate(String currency) {
    if (currency.equalsIgnoreCase(groupCurrency)) {
      return Optional.of(BigDecimal.ONE);
    }
    return exchangeRates.entrySet().stream()
        .filter(e -> e.getKey().equalsIgnoreCase(currency))
        .map(Map.Entry::getValue)
        .findFirst();
  }

  /** A programme to start from: SEK, 1 point per krona, 24 months, two levels, 500-point steps. */
  public static LoyaltyProgram defaults() {
    return new LoyaltyProgram(
        "SEK",
        Map.of("EUR", new BigDecimal("11.2"), "NOK", BigDecimal.ONE),
        BigDecimal.ONE,
        0,
        new Expiry(ExpiryModel.ROLLING_MONTHS, 24, null),
        new Levels(
            LevelBasis.POINTS_EARNED,
            12,
            List.of(new Tier("bronze", "Bronze", 0), new Tier("silver", "Silver", 1000))),
        new Vouchers(
            VoucherModel.STEPS, 500L, new BigDecimal("50"), null, null, "Bonus check", 90, 3),
        NegativeBalance.ALLOW);
  }
}
