package org.stamkund.engine.promotions;

/**
 * Where a promotion definition is in its life: Draft until activated, then Scheduled until its
 * start date, Active until its end date, Ended after it. Engage's fifth status, Temporary, is never
 * produced by Stamkund.
 */
public enum PromotionStatus {
  DRAFT("Draft"),
  SCHEDULED("Scheduled"),
  ACTIVE("Active"),
  ENDED("Ended");

  private final String wireName;

  PromotionStatus(String wireName) {
    this.wireName = wireName;
  }

  /** The spelling on the wire: {@code Draft}, {@code Scheduled}, {@code Active}, {@code Ended}. */
  public String wireName() {
    return wireName;
  }
}
