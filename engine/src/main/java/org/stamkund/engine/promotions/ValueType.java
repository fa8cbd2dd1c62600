package org.stamkund.engine.promotions;

import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** What a redemption channel gives: a percentage, an amount, an offer defined elsewhere, … */
public enum ValueType {
  /** A percentage off, 0 to 100 exclusive of 0. */
  PERCENT,
  /** An amount off, in a currency. */
  MONEY,
  /** The id of a price rule in the ERP or web shop that holds the actual discount. */
  EXTERNALOFFER,
  /** The cashier applies it by hand, following the channel's instruction; POS only. */
  MANUAL,
  /** Shown on the member's phone and swiped by the cashier. */
  SWIPE;

  /**
   * Reads a wire value in any case, surrounding spaces ignored.
   *
   * @return empty for null, blank or any other value
   */
  public static Optional<ValueType> parse(@Nullable String raw) {
    if (raw == null) {
      return Optional.empty();
    }
    String upper = raw.strip().toUpperCase(Locale.ROOT);
    for (ValueType type : values()) {
      if (type.name().equals(upper)) {
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }
}
