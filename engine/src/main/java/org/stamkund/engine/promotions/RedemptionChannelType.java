package org.stamkund.engine.promotions;

import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** Where a promotion can be redeemed: at the till, in the web shop, or anywhere else. */
public enum RedemptionChannelType {
  POS,
  ECOM,
  OTHER;

  /**
   * Reads a wire value in any case, surrounding spaces ignored.
   *
   * @return empty for null, blank or any other value
   */
  public static Optional<RedemptionChannelType> parse(@Nullable String raw) {
    if (raw == null) {
      return Optional.empty();
    }
    String upper = raw.strip().toUpperCase(Locale.ROOT);
    for (RedemptionChannelType type : values()) {
      if (type.name().equals(upper)) {
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }
}
