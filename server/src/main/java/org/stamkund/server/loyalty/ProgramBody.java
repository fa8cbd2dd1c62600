package org.stamkund.server.loyalty;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.stamkund.engine.InvalidInputException;
import org.stamkund.engine.Violation;
import org.stamkund.engine.program.LoyaltyProgram;

/** The programme on the wire: every field nullable, so a missing one is named, not a 500. */
record ProgramBody(
    @Nullable String groupCurrency,
    @Nullable Map<String, BigDecimal> exchangeRates,
    @Nullable BigDecimal pointsPerGroupCurrencyUnit,
    @Nullable Integer pendingDays,
    @Nullable ExpiryBody expiry,
    @Nullable LevelsBody levels,
    @Nullable VouchersBody vouchers,
    @Nullable String negativeBalance) {

  record ExpiryBody(@Nullable String model, @Nullable Integer months, @Nullable Integer years) {}

  record TierBody(@Nullable String id, @Nullable String name, @Nullable Long threshold) {}

  record LevelsBody(
      @Nullable String basis, @Nullable Integer windowMonths, @Nullable List<TierBody> tiers) {}

  record VouchersBody(
      @Nullable String model,
      @Nullable Long pointsPerStep,
      @Nullable BigDecimal valuePerStep,
      @Nullable Long minimumPoints,
      @Nullable BigDecimal valuePerPoint,
      @Nullable String name,
      @Nullable Integer validDays,
      @Nullable Integer maxReactivations) {}

  static ProgramBody of(LoyaltyProgram p) {
    return new ProgramBody(
        p.groupCurrency(),
        new java.util.TreeMap<>(p.exchangeRates()),
        p.pointsPerGroupCurrencyUnit(),
        p.pendingDays(),
        new ExpiryBody(p.expiry().model().name(), p.expiry().months(), p.expiry().years()),
        new LevelsBody(
            p.levels().basis().name(),
            p.levels().windowMonths(),
            p.levels().tiers().stream()
                .map(t -> new TierBody(t.id(), t.name(), t.threshold()))
                .toList()),
        new VouchersBody(
            p.vouchers().model().name(),
            p.vouchers().pointsPerStep(),
            p.vouchers().valuePerStep(),
            p.vouchers().minimumPoints(),
            p.vouchers().valuePerPoint(),
            p.vouchers().name(),
            p.vouchers().validDays(),
            p.vouchers().maxReactivations()),
        p.negativeBalance().name());
  }

  /**
   * @throws InvalidInputException naming every missing or malformed field
   */
  LoyaltyProgram toProgram() {
    List<Violation> v = new ArrayList<>();
    String currency = required(groupCurrency, "groupCurrency", v);
    Map<String, BigDecimal> rates = new LinkedHashMap<>();
    if (exchangeRates != null) {
      exchangeRates.forEach(
          (code, rate) -> {
            if (rate == null) {
              v.add(new Violation("exchangeRates." + code, "InvalidExchangeRate", "is required"));
            } else {
              rates.put(code.toUpperCase(Locale.ROOT), rate);
            }
          });
    }
    BigDecimal perUnit = required(pointsPerGroupCurrencyUnit, "pointsPerGroupCurrencyUnit", v);
    ExpiryBody e = required(expiry, "expiry", v);
    LevelsBody l = required(levels, "levels", v);
    VouchersBody w = required(vouchers, "vouchers", v);
    LoyaltyProgram.ExpiryModel expiryModel =
        e == null ? null : parse(LoyaltyProgram.ExpiryModel.class, e.model(), "expiry.model", v);
    LoyaltyProgram.LevelBasis basis =
        l == null ? null : parse(LoyaltyProgram.LevelBasis.class, l.basis(), "levels.basis", v);
    LoyaltyProgram.VoucherModel voucherModel =
        w == null ? null : parse(LoyaltyProgram.VoucherModel.class, w.model(), "vouchers.model", v);
    LoyaltyProgram.NegativeBalance negative =
        negativeBalance == null
            ? LoyaltyProgram.NegativeBalance.ALLOW
            : parse(LoyaltyProgram.NegativeBalance.class, negativeBalance, "negativeBalance", v);
    List<LoyaltyProgram.Tier> tiers = new ArrayList<>();
    if (l != null) {
      List<TierBody> sent = required(l.tiers(), "levels.tiers", v);
      if (sent != null) {
        for (int i = 0; i < sent.size(); i++) {
          TierBody t = sent.get(i);
          String field = "levels.tiers[" + i + "]";
          if (t == null || t.id() == null || t.threshold() == null) {
            v.add(new Violation(field, "InvalidValue", "a tier needs id, name and threshold"));
          } else {
            tiers.add(
                new LoyaltyProgram.Tier(
                    t.id(), t.name() == null ? t.id() : t.name(), t.threshold()));
          }
        }
      }
    }
    if (!v.isEmpty()
        || currency == null
        || perUnit == null
        || e == null
        || l == null
        || w == null
        || expiryModel == null
        || basis == null
        || voucherModel == null
        || negative == null) {
      if (v.isEmpty()) {
        v.add(new Violation("body", "InvalidValue", "incomplete programme"));
      }
      throw new InvalidInputException(v);
    }
    return new LoyaltyProgram(
        currency.toUpperCase(Locale.ROOT),
        rates,
        perUnit,
        pendingDays == null ? 0 : pendingDays,
        new LoyaltyProgram.Expiry(expiryModel, e.months(), e.years()),
        new LoyaltyProgram.Levels(basis, l.windowMonths() == null ? 12 : l.windowMonths(), tiers),
        new LoyaltyProgram.Vouchers(
            voucherModel,
            w.pointsPerStep(),
            w.valuePerStep(),
            w.minimumPoints(),
            w.valuePerPoint(),
            w.name() == null ? "Bonus check" : w.name(),
            w.validDays() == null ? 90 : w.validDays(),
            w.maxReactivations() == null ? 3 : w.maxReactivations()),
        negative);
  }

  private static <T> @Nullable T required(@Nullable T value, String field, List<Violation> v) {
    if (value == null) {
      v.add(new Violation(field, "MissingField", "is required"));
    }
    return value;
  }

  private static <E extends Enum<E>> @Nullable E parse(
      Class<E> type, @Nullable String raw, String field, List<Violation> v) {
    if (raw != null) {
      for (E e : type.getEnumConstants()) {
        if (e.name().equalsIgnoreCase(raw.strip())) {
          return e;
        }
      }
    }
    List<String> names = new ArrayList<>();
    for (E e : type.getEnumConstants()) {
      names.add(e.name());
    }
    v.add(new Violation(field, "InvalidValue", "one of " + String.join(", ", names)));
    return null;
  }
}
