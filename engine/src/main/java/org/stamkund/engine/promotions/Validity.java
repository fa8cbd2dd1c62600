package org.stamkund.engine.promotions;

import java.time.Instant;
import java.time.ZoneId;
import org.jspecify.annotations.Nullable;

/**
 * When a promotion can be used (Engage's {@code PromotionValidityModel}).
 *
 * @param startDate from when it can be used
 * @param endDate from when it no longer can; null for open-ended; after {@code startDate}
 * @param assignedValidity how long each assigned instance lasts; null for as long as the promotion
 */
public record Validity(
    Instant startDate, @Nullable Instant endDate, @Nullable AssignedValidity assignedValidity) {

  /**
   * @throws IllegalArgumentException when the end date is not after the start date
   */
  public Validity {
    if (endDate != null && !endDate.isAfter(startDate)) {
      throw new IllegalArgumentException("endDate must be after startDate");
    }
  }

  /**
   * When an instance assigned at {@code assignedAt} expires: the earlier of the promotion's end
   * date and the end of the assigned validity; null when neither is set (or the assigned validity
   * reaches beyond the year 9999 and there is no end date).
   */
  public @Nullable Instant expiresOn(Instant assignedAt, ZoneId zone) {
    Instant personal = assignedValidity == null ? null : assignedValidity.after(assignedAt, zone);
    if (personal == null) {
      return endDate;
    }
    return endDate == null || personal.isBefore(endDate) ? personal : endDate;
  }
}
