package org.stamkund.connector.checkout;

import tools.jackson.databind.JsonNode;

/**
 * Hears what becomes of enrolments that failed at checkout (scenario 2) and were buffered. Called
 * on the outbox replayer's thread.
 */
public interface EnrolmentReport {

  /** A buffered enrolment went through later: scenario 2 resolved itself. */
  void recovered(String checkoutId, String contactId);

  /**
   * A buffered enrolment was given up (refused, or out of attempts): create the membership by hand
   * so the shopper loses no points (seed 000). {@code enrolment} is the create-contact body with
   * the shopper's data; it is deleted from the connector's storage after this call, so keep it only
   * where the manual fix happens and never log it.
   *
   * @param reason the last error, free of personal data
   */
  void needsManualFix(String checkoutId, JsonNode enrolment, String reason);
}
