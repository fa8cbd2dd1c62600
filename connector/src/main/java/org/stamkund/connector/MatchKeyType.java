package org.stamkund.connector;

/** How a receipt or order names its contact ({@code contact.matchKeyType}). */
public enum MatchKeyType {
  /** The engine's contact id: the primary integration key. */
  CONTACT_ID("contactId"),
  /** An e-mail address (a secondary key). */
  EMAIL("email"),
  /** A mobile phone number (a secondary key). */
  MOBILE_PHONE("mobilePhone"),
  /** A member number (a secondary key). */
  MEMBER_NUMBER("memberNumber"),
  /** The contact's external id. */
  EXTERNAL_ID("externalId"),
  /** A personal identity number. */
  SOCIAL_SECURITY_NUMBER("socialSecurityNumber");

  private final String wire;

  MatchKeyType(String wire) {
    this.wire = wire;
  }

  /** The wire value. */
  public String wire() {
    return wire;
  }

  /** Whether a key of this type is personal data (GDPR: purge it from local buffers). */
  public boolean isPersonal() {
    return this == EMAIL || this == MOBILE_PHONE || this == SOCIAL_SECURITY_NUMBER;
  }

  /** Reads a wire value, any case. */
  public static MatchKeyType ofWire(String wire) {
    for (MatchKeyType t : values()) {
      if (t.wire.equalsIgnoreCase(wire)) {
        return t;
      }
    }
    throw new IllegalArgumentException("unknown matchKeyType: " + wire);
  }
}
