package org.stamkund.connector;

import org.jspecify.annotations.Nullable;

/**
 * What a till or checkout knows of the customer at the moment of the purchase; any field may be
 * missing. Carries personal data: never log it.
 *
 * @param contactId the engine's contact id, when known (the primary integration key)
 * @param memberNumber the member number, when known
 * @param email the e-mail address
 * @param mobilePhone the mobile phone number
 * @param socialSecurityNumber the personal identity number
 */
public record Shopper(
    @Nullable String contactId,
    @Nullable String memberNumber,
    @Nullable String email,
    @Nullable String mobilePhone,
    @Nullable String socialSecurityNumber) {

  /** Nobody known: an anonymous purchase. */
  public static final Shopper ANONYMOUS = new Shopper(null, null, null, null, null);

  /** A shopper known by contact id. */
  public static Shopper withContactId(String contactId) {
    return new Shopper(contactId, null, null, null, null);
  }

  /** A shopper known by e-mail. */
  public static Shopper withEmail(String email) {
    return new Shopper(null, null, email, null, null);
  }

  /** A shopper known by mobile phone. */
  public static Shopper withMobilePhone(String mobilePhone) {
    return new Shopper(null, null, null, mobilePhone, null);
  }

  /** A shopper known by member number. */
  public static Shopper withMemberNumber(String memberNumber) {
    return new Shopper(null, memberNumber, null, null, null);
  }

  /** The value of {@code key} for this shopper, or null. */
  public @Nullable String value(SecondaryKey key) {
    return switch (key) {
      case MOBILE_PHONE -> blank(mobilePhone);
      case EMAIL -> blank(email);
      case MEMBER_NUMBER -> blank(memberNumber);
    };
  }

  /** Whether nothing identifies the shopper. */
  public boolean isAnonymous() {
    return blank(contactId) == null
        && blank(memberNumber) == null
        && blank(email) == null
        && blank(mobilePhone) == null
        && blank(socialSecurityNumber) == null;
  }

  private static @Nullable String blank(@Nullable String v) {
    return v == null || v.isBlank() ? null : v.strip();
  }

  @Override
  public String toString() {
    return "Shopper[…]";
  }
}
