package org.stamkund.connector;

/** The identifiers {@code GET /api/v2/contacts/id} resolves, with their query parameter names. */
public enum ContactKey {
  /** An e-mail address. */
  EMAIL("email"),
  /** A mobile phone number, E.164 preferred. */
  MOBILE_PHONE("mobilePhone"),
  /** A Swedish or Finnish personal identity number. */
  SOCIAL_SECURITY_NUMBER("socialSecurityNumber"),
  /** The tenant's custom key (member number or external id). */
  CUSTOM_KEY("customKey"),
  /** Tried as e-mail, personal id, phone and custom key in turn. */
  ANY("any");

  private final String parameter;

  ContactKey(String parameter) {
    this.parameter = parameter;
  }

  /** The query parameter name. */
  public String parameter() {
    return parameter;
  }
}
