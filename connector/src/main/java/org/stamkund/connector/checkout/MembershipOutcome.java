package org.stamkund.connector.checkout;

import org.jspecify.annotations.Nullable;

/**
 * What happened to the membership after {@code PurchaseCompleted}.
 *
 * @param scenario which of the seed's scenarios
 * @param contactId the member's contact id when known now
 * @param memberNumber the member number when known now
 * @param retrying scenario 2 only: the enrolment waits in the outbox and will be retried; false
 *     means the engine refused it and it needs a manual fix
 * @param errorCode the engine's error code when it refused, or null
 */
public record MembershipOutcome(
    Scenario scenario,
    @Nullable String contactId,
    @Nullable String memberNumber,
    boolean retrying,
    @Nullable String errorCode) {

  /** Seed 000's three scenarios, plus the shopper who was a member already. */
  public enum Scenario {
    /** 1: chose to apply, and the membership was registered. */
    ENROLLED,
    /** 2: chose to apply, and the membership could not be registered (yet). */
    ENROLMENT_FAILED,
    /** 3: chose not to apply. */
    DECLINED,
    /** Was a member already; nothing to register. */
    ALREADY_MEMBER
  }
}
