package org.stamkund.connector.oms;

/** The field that identifies a customer when the OMS has no contact id yet (seed 001). */
public enum UniqueIdentifier {
  /** The e-mail address. */
  EMAIL,
  /** The mobile phone number. */
  PHONE
}
