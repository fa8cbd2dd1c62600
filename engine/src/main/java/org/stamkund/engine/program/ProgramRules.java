package org.stamkund.engine.program;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.stamkund.engine.InvalidInputException;
import org.stamkund.engine.Violation;

/** Checks a programme before it is stored. */
public final class ProgramRules {

  private static final Pattern CURRENCY = Pattern.compile("^[A-Z]{3}$");
  private static final Pattern TIER_ID = Pattern.compile("^[A-Za-z0-9_-]{1,64}$");

  private ProgramRules() {}

  /**
   * @throws InvalidInputException listing every problem with the field it concerns
   */
  public static void check(LoyaltyProgram p) {
    List<Violation> v = new ArrayList<>();
    if (!CURRENCY.matcher(p.groupCurrency()).matches()) {
      v.add(new Violation("groupCurrency", "InvalidCurrency", "an ISO 4217 code such as SEK"));
    }
    for (Map.Entry<String, BigDecimal> rate : p.exchangeRates().entrySet()) {
      if (!CURRENCY.matcher(rate.getKey()).matches()) {
        v.add(
            new Violation(
                "exchangeRates." + rate.getKey(),
                "InvalidCurrency",
                "an ISO 4217 code such as EUR"));
      } else if (rate.getValue().signum() <= 0) {
        v.add(
            new Violation(
                "exchangeRates." + rate.getKey(), "InvalidExchangeRate", "must be greater than 0"));
      }
    }
    if (p.pointsPerGroupCurrencyUnit().signum() < 0) {
      v.add(new Violation("pointsPerGroupCurrencyUnit", "InvalidValue", "must be 0 or more"));
    }
    if (p.pendingDays() < 0 || p.pendingDays() > 3650) {
      v.add(new Violation("pendingDays", "InvalidValue", "between 0 and 3650"));
    }
    LoyaltyProgram.Expiry expiry = p.expiry();
    switch (expiry.model()) {
      case ROLLING_MONTHS, INACTIVITY_MONTHS -> {
        if (expiry.months() == null || expiry.months() < 1 || expiry.months() > 1200) {
          v.add(new Violation("expiry.months", "InvalidValue", "between 1 and 1200"));
        }
      }
      case CALENDAR_YEAR -> {
        if (expiry.years() == null || expiry.years() < 0 || expiry.years() > 100) {
          v.add(new Violation("expiry.years", "InvalidValue", "between 0 and 100"));
        }
      }
      case NEVER -> {}
    }
    LoyaltyProgram.Levels levels = p.levels();
    if (levels.windowMonths() < 1 || levels.windowMonths() > 120) {
      v.add(new Violation("levels.windowMonths", "InvalidValue", "between 1 and 120"));
    }
    if (levels.tiers().isEmpty()) {
      v.add(new Violation("levels.tiers", "InvalidValue", "at least one tier, from threshold 0"));
    } else {
      if (levels.tiers().getFirst().threshold() != 0) {
        v.add(
            new Violation(
                "levels.tiers[0].threshold", "InvalidValue", "the first tier starts at 0"));
      }
      Set<String> ids = new HashSet<>();
      for (int i = 0; i < levels.tiers().size(); i++) {
        LoyaltyProgram.Tier t = levels.tiers().get(i);
        if (!TIER_ID.matcher(t.id()).matches() || !ids.add(t.id())) {
          v.add(
              new Violation(
                  "levels.tiers[" + i + "].id",
                  "InvalidValue",
                  "1-64 letters, digits, - or _; unique"));
        }
        if (t.name().isBlank()) {
          v.add(
              new Violation("levels.tiers[" + i + "].name", "InvalidValue", "a name is required"));
        }
        if (i > 0 && t.threshold() <= levels.tiers().get(i - 1).threshold()) {
          v.add(
              new Violation(
                  "levels.tiers[" + i + "].threshold",
                  "InvalidValue",
                  "thresholds must rise from tier to tier"));
        }
      }
    }
    LoyaltyProgram.Vouchers vouchers = p.vouchers();
    switch (vouchers.model()) {
      case STEPS -> {
        if (vouchers.pointsPerStep() == null || vouchers.pointsPerStep() < 1) {
          v.add(new Violation("vouchers.pointsPerStep", "InvalidValue", "1 or more"));
        }
        if (vouchers.valuePerStep() == null || vouchers.valuePerStep().signum() <= 0) {
          v.add(new Violation("vouchers.valuePerStep", "InvalidValue", "greater than 0"));
        }
      }
      case WHOLE_BALANCE -> {
        if (vouchers.minimumPoints() == null || vouchers.minimumPoints() < 1) {
          v.add(new Violation("vouchers.minimumPoints", "InvalidValue", "1 or more"));
        }
        if (vouchers.valuePerPoint() == null || vouchers.valuePerPoint().signum() <= 0) {
          v.add(new Violation("vouchers.valuePerPoint", "InvalidValue", "greater than 0"));
        }
      }
      case NONE -> {}
    }
    if (vouchers.name().isBlank() || vouchers.name().length() > 200) {
      v.add(new Violation("vouchers.name", "InvalidValue", "1-200 characters"));
    }
    if (vouchers.validDays() < 1 || vouchers.validDays() > 3650) {
      v.add(new Violation("vouchers.validDays", "InvalidValue", "between 1 and 3650"));
    }
    if (vouchers.maxReactivations() < 0 || vouchers.maxReactivations() > 100) {
      v.add(new Violation("vouchers.maxReactivations", "InvalidValue", "between 0 and 100"));
    }
    if (!v.isEmpty()) {
      throw new InvalidInputException(v);
    }
  }
}
