package org.stamkund.engine.promotions;

import java.math.BigDecimal;
import org.jspecify.annotations.Nullable;

/**
 * One channel a promotion can be redeemed on and what it gives there.
 *
 * @param type POS, ECOM or OTHER; a promotion has each type at most once
 * @param valueType what {@code value} means
 * @param value as the definition holds it, always text: {@code "20"} or {@code "20.5"} for PERCENT
 *     and MONEY, an offer id for EXTERNALOFFER; null for MANUAL and SWIPE without one
 * @param currency the ISO 4217 code of a MONEY value; null for the other value types
 * @param instruction text for the cashier; null when none
 */
public record RedemptionChannel(
    RedemptionChannelType type,
    ValueType valueType,
    @Nullable String value,
    @Nullable String currency,
    @Nullable String instruction) {

  /** A channel's value as a reader of a contact's promotions sees it. */
  public sealed interface Value {}

  /** A percentage off; a whole number when it has no fraction. */
  public record Percent(BigDecimal percent) implements Value {}

  /** An amount off in a currency. */
  public record Money(BigDecimal amount, String currency) implements Value {}

  /** Text: an offer id, a code, a cashier's cue. */
  public record Text(String text) implements Value {}

  /**
   * The value typed by its value type: PERCENT a number, MONEY an amount with its currency, the
   * others text; null when the channel has no value.
   */
  public @Nullable Value typedValue() {
    if (value == null) {
      return null;
    }
    return switch (valueType) {
      case PERCENT -> new Percent(PromotionRules.plainNumber(value));
      case MONEY -> new Money(PromotionRules.plainNumber(value), currency == null ? "" : currency);
      case EXTERNALOFFER, MANUAL, SWIPE -> new Text(value);
    };
  }
}
