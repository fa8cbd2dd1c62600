package org.stamkund.connector.oms;

import org.jspecify.annotations.Nullable;

/** How OMS customers map to engine contact types (seed 001's mapping table). */
public enum ContactTypeMapping {
  /** Private customers become Contacts, club members become Members. */
  DEFAULT,
  /** Only club members are exported, as Members; private customers are not exported. */
  EXPORT_MEMBERS_ONLY,
  /** Every customer is exported as a Member. */
  EXPORT_ALL_CUSTOMERS_AS_MEMBER;

  /** The engine contact type for a customer, or null when the customer is not exported. */
  public @Nullable String contactType(boolean clubMember) {
    return switch (this) {
      case DEFAULT -> clubMember ? "Member" : "Contact";
      case EXPORT_MEMBERS_ONLY -> clubMember ? "Member" : null;
      case EXPORT_ALL_CUSTOMERS_AS_MEMBER -> "Member";
    };
  }
}
