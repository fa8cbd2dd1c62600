package org.stamkund.engine.promotions;

import java.time.Instant;

/**
 * Whether a contact can redeem an assigned promotion instance now, on a channel: usable, or the
 * first reason it is not, checked in the order of the records below.
 */
public sealed interface Usability {

  /** The instance can be redeemed. */
  record Usable() implements Usability {}

  /** The instance was assigned to another contact. */
  record NotAssociatedWithContact() implements Usability {}

  /** The instance was redeemed already. */
  record AlreadyRedeemed(Instant redeemedAt) implements Usability {}

  /** The instance or its promotion is past its end. */
  record Expired(Instant expiredAt) implements Usability {}

  /** The promotion has not started yet (Scheduled), or is still a Draft. */
  record NotActive(PromotionStatus status) implements Usability {}

  /** The promotion has no redemption channel of the asked type. */
  record NotValidForChannel(RedemptionChannelType channel) implements Usability {}
}
