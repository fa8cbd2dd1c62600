package org.stamkund.connector.checkout;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** What the checkout learns about the shopper's membership while they pay. */
public sealed interface Membership {

  /** Whether the checkout should offer "apply for membership". */
  boolean offerToApply();

  /**
   * Already a member: the checkout returns these instead of the offer (seed 000).
   *
   * @param contactId the contact id
   * @param memberNumber the member number
   * @param replicaAge null when the engine answered; the replica's age when it answered instead
   */
  record Member(String contactId, @Nullable String memberNumber, @Nullable Duration replicaAge)
      implements Membership {
    @Override
    public boolean offerToApply() {
      return false;
    }
  }

  /** Not a member: offer membership. */
  record NotMember() implements Membership {
    @Override
    public boolean offerToApply() {
      return true;
    }
  }

  /**
   * The engine could not be asked in time and the replica did not know the shopper.
   *
   * @param offerToApply whether to offer membership anyway (the enrolment is buffered)
   */
  record Unknown(boolean offerToApply) implements Membership {}
}
