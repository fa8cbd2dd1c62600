package org.stamkund.connector;

/**
 * The key a receipt is tagged with when the contact id cannot be had in time (seed 004): the engine
 * matches it to the contact later, also to one created after the purchase.
 */
public enum SecondaryKey {
  /** The mobile phone number (seed 004's example). */
  MOBILE_PHONE(MatchKeyType.MOBILE_PHONE),
  /** The e-mail address. */
  EMAIL(MatchKeyType.EMAIL),
  /** The member number. */
  MEMBER_NUMBER(MatchKeyType.MEMBER_NUMBER);

  private final MatchKeyType matchKeyType;

  SecondaryKey(MatchKeyType matchKeyType) {
    this.matchKeyType = matchKeyType;
  }

  /** The receipt's {@code matchKeyType} for this key. */
  public MatchKeyType matchKeyType() {
    return matchKeyType;
  }
}
