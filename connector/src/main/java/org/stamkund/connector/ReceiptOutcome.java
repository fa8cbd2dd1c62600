package org.stamkund.connector;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * What became of a receipt handed to {@link StamkundConnector#submitReceipt}. Whatever the outcome,
 * the purchase goes on.
 *
 * @param delivery whether the engine has it or the outbox does
 * @param keySource how the receipt's contact was decided
 * @param matchKeyType the key it was tagged with, or null for an anonymous receipt
 * @param elapsed how long the till waited
 * @param errorCode Engage's error code when the engine refused the receipt, or null
 */
public record ReceiptOutcome(
    Delivery delivery,
    KeySource keySource,
    @Nullable MatchKeyType matchKeyType,
    Duration elapsed,
    @Nullable String errorCode) {

  /** Where the receipt is. */
  public enum Delivery {
    /** The engine took it within the budget. */
    DELIVERED,
    /** It is in the outbox and will be sent when the engine answers. */
    BUFFERED,
    /** The engine refused it; it is kept as dead in the outbox for a manual fix. */
    REJECTED,
    /** Nobody identified the shopper: nothing to send to the club. */
    SKIPPED_ANONYMOUS
  }

  /** How the receipt's contact was decided. */
  public enum KeySource {
    /** The receipt already named its contact. */
    GIVEN,
    /** The till knew the contact id. */
    CONTACT_ID,
    /** The till knew the member number. */
    MEMBER_NUMBER,
    /** The engine resolved the contact id within the budget. */
    ENGINE_LOOKUP,
    /** The engine was unavailable; the local replica knew the contact id. */
    REPLICA,
    /** The contact id could not be had: tagged with the secondary key. */
    SECONDARY_KEY,
    /** Nobody to tag. */
    NONE
  }
}
