package org.stamkund.engine.vouchers;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.stamkund.engine.program.LoyaltyProgram;

/** Turns an available balance into reward vouchers, as the programme's voucher model says. */
public final class Conversion {

  /** Limits one receipt's conversion; the rest converts with the next activity. */
  public static final int MAX_VOUCHERS_AT_ONCE = 100;

  private Conversion() {}

  /** A voucher to issue: the points it consumes and its value in the group currency. */
  public record Issue(long points, BigDecimal value) {}

  /**
   * @param available points that can be spent now (pending points excluded)
   * @return the vouchers to issue; empty when the balance does not reach a voucher
   */
  public static List<Issue> convert(LoyaltyProgram.Vouchers config, long available) {
    List<Issue> issues = new ArrayList<>();
    switch (config.model()) {
      case STEPS -> {
        Long step = config.pointsPerStep();
        BigDecimal value = config.valuePerStep();
        if (step != null && value != null && step > 0) {
          long count = Math.min(available / step, MAX_VOUCHERS_AT_ONCE);
          for (long i = 0; i < count; i++) {
            issues.add(new Issue(step, value));
          }
        }
      }
      case WHOLE_BALANCE -> {
        Long minimum = config.minimumPoints();
        BigDecimal perPoint = config.valuePerPoint();
        if (minimum != null && perPoint != null && available >= minimum && available > 0) {
          issues.add(
              new Issue(
                  available,
                  perPoint.multiply(BigDecimal.valueOf(available)).setScale(2, RoundingMode.DOWN)));
        }
      }
      case NONE -> {}
    }
    return issues;
  }

  /**
   * A voucher's value in every configured currency other than the group currency, rounded to cents.
   */
  public static Map<String, BigDecimal> localValues(LoyaltyProgram program, BigDecimal value) {
    Map<String, BigDecimal> values = new TreeMap<>();
    program
        .exchangeRates()
        .forEach(
            (currency, rate) -> {
              if (!currency.equalsIgnoreCase(program.groupCurrency())) {
                values.put(currency, value.divide(rate, 2, RoundingMode.HALF_EVEN));
              }
            });
    return values;
  }
}
