package org.stamkund.engine.program;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.stamkund.engine.program.LoyaltyProgram.Expiry;
import org.stamkund.engine.program.LoyaltyProgram.ExpiryModel;
import org.stamkund.engine.program.LoyaltyProgram.LevelBasis;
import org.stamkund.engine.program.LoyaltyProgram.Levels;
import org.stamkund.engine.program.LoyaltyProgram.NegativeBalance;
import org.stamkund.engine.program.LoyaltyProgram.Tier;
import org.stamkund.engine.program.LoyaltyProgram.VoucherModel;
import org.stamkund.engine.program.LoyaltyProgram.Vouchers;

/**
 * Loyalty programmes for tests: {@link LoyaltyProgram#defaults()} with one thing changed, and the
 * parts a programme is made of.
 */
public final class Programs {

  private Programs() {}

  /**
   * SEK, EUR 11.2, NOK 1.0, 1 point per krona, 24 months, bronze/silver at 1000, 500-point steps.
   */
  public static LoyaltyProgram defaults() {
    return LoyaltyProgram.defaults();
  }

  /** A builder that starts from {@link #defaults()}. */
  public static Builder aProgram() {
    return new Builder(LoyaltyProgram.defaults());
  }

  public static Expiry rollingMonths(int months) {
    return new Expiry(ExpiryModel.ROLLING_MONTHS, months, null);
  }

  public static Expiry calendarYear(int years) {
    return new Expiry(ExpiryModel.CALENDAR_YEAR, null, years);
  }

  public static Expiry inactivityMonths(int months) {
    return new Expiry(ExpiryModel.INACTIVITY_MONTHS, months, null);
  }

  public static Expiry never() {
    return new Expiry(ExpiryModel.NEVER, null, null);
  }

  public static Tier tier(String id, long threshold) {
    return new Tier(id, Character.toUpperCase(id.charAt(0)) + id.substring(1), threshold);
  }

  /** Points earned over {@code windowMonths}, in the given tiers. */
  public static Levels levels(int windowMonths, Tier... tiers) {
    return new Levels(LevelBasis.POINTS_EARNED, windowMonths, List.of(tiers));
  }

  /** Bronze from 0, silver from 1000 and gold from 5000, over 12 months. */
  public static Levels bronzeSilverGold() {
    return levels(12, tier("bronze", 0), tier("silver", 1000), tier("gold", 5000));
  }

  public static Vouchers steps(long pointsPerStep, String valuePerStep) {
    return new Vouchers(
        VoucherModel.STEPS,
        pointsPerStep,
        new BigDecimal(valuePerStep),
        null,
        null,
        "Bonus check",
        90,
        3);
  }

  public static Vouchers wholeBalance(long minimumPoints, String valuePerPoint) {
    return new Vouchers(
        VoucherModel.WHOLE_BALANCE,
        null,
        null,
        minimumPoints,
        new BigDecimal(valuePerPoint),
        "Bonus check",
        90,
        3);
  }

  public static Vouchers noVouchers() {
    return new Vouchers(VoucherModel.NONE, null, null, null, null, "Bonus check", 90, 3);
  }

  /** Builds a programme one changed field at a time. */
  public static final class Builder {

    private String groupCurrency;
    private Map<String, BigDecimal> exchangeRates;
    private BigDecimal pointsPerGroupCurrencyUnit;
    private int pendingDays;
    private Expiry expiry;
    private Levels levels;
    private Vouchers vouchers;
    private NegativeBalance negativeBalance;

    private Builder(LoyaltyProgram from) {
      groupCurrency = from.groupCurrency();
      exchangeRates = new LinkedHashMap<>(from.exchangeRates());
      pointsPerGroupCurrencyUnit = from.pointsPerGroupCurrencyUnit();
      pendingDays = from.pendingDays();
      expiry = from.expiry();
      levels = from.levels();
      vouchers = from.vouchers();
      negativeBalance = from.negativeBalance();
    }

    public Builder groupCurrency(String currency) {
      groupCurrency = currency;
      return this;
    }

    /** Replaces every exchange rate. */
    public Builder noExchangeRates() {
      exchangeRates = new LinkedHashMap<>();
      return this;
    }

    /** Adds or replaces one exchange rate. */
    public Builder exchangeRate(String currency, String groupUnitsPerUnit) {
      exchangeRates.put(currency, new BigDecimal(groupUnitsPerUnit));
      return this;
    }

    public Builder pointsPerGroupCurrencyUnit(String points) {
      pointsPerGroupCurrencyUnit = new BigDecimal(points);
      return this;
    }

    public Builder pendingDays(int days) {
      pendingDays = days;
      return this;
    }

    public Builder expiry(Expiry value) {
      expiry = value;
      return this;
    }

    public Builder levels(Levels value) {
      levels = value;
      return this;
    }

    public Builder vouchers(Vouchers value) {
      vouchers = value;
      return this;
    }

    public Builder negativeBalance(NegativeBalance value) {
      negativeBalance = value;
      return this;
    }

    public LoyaltyProgram build() {
      return new LoyaltyProgram(
          groupCurrency,
          exchangeRates,
          pointsPerGroupCurrencyUnit,
          pendingDays,
          expiry,
          levels,
          vouchers,
          negativeBalance);
    }
  }
}
