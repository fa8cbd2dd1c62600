package org.stamkund.engine.contacts;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The attributes every contact type has, by their Engage wire names. */
public enum StandardAttribute {
  FIRST_NAME("firstName", Kind.TEXT),
  LAST_NAME("lastName", Kind.TEXT),
  EMAIL("email", Kind.EMAIL),
  MOBILE_PHONE("mobilePhone", Kind.PHONE),
  SOCIAL_SECURITY_NUMBER("socialSecurityNumber", Kind.PERSONAL_ID),
  EXTERNAL_ID("externalId", Kind.TEXT),
  STREET("street", Kind.TEXT),
  ZIP_CODE("zipCode", Kind.TEXT),
  CITY("city", Kind.TEXT),
  CARE_OF("careOf", Kind.TEXT),
  COUNTRY("country", Kind.TEXT),
  COUNTRY_CODE("countryCode", Kind.COUNTRY_CODE),
  BIRTH_DAY("birthDay", Kind.DATE),
  GENDER("gender", Kind.GENDER),
  CREATED_IN_STORE("createdInStore", Kind.TEXT),
  STORE("store", Kind.TEXT),
  MEMBER_NUMBER("memberNumber", Kind.READ_ONLY),
  AGE("age", Kind.READ_ONLY);

  /** How a standard attribute's value is checked. */
  public enum Kind {
    TEXT,
    EMAIL,
    PHONE,
    PERSONAL_ID,
    COUNTRY_CODE,
    DATE,
    GENDER,
    READ_ONLY
  }

  private static final Map<String, StandardAttribute> BY_LOWER_NAME = new HashMap<>();
  private static final Map<String, StandardAttribute> BY_NAME = new HashMap<>();

  static {
    for (StandardAttribute a : values()) {
      BY_LOWER_NAME.put(a.wireName.toLowerCase(Locale.ROOT), a);
      BY_NAME.put(a.wireName, a);
    }
  }

  private final String wireName;
  private final Kind kind;

  StandardAttribute(String wireName, Kind kind) {
    this.wireName = wireName;
    this.kind = kind;
  }

  /** The Engage wire name, for example {@code mobilePhone}. */
  public String wireName() {
    return wireName;
  }

  /** How the value is checked and normalised. */
  public Kind kind() {
    return kind;
  }

  /** Whether a contact type may use this attribute as a key. */
  public boolean canBeKey() {
    return this == EMAIL
        || this == MOBILE_PHONE
        || this == SOCIAL_SECURITY_NUMBER
        || this == EXTERNAL_ID;
  }

  /** Finds a standard attribute by wire name, case-insensitively. */
  public static Optional<StandardAttribute> fromWire(String name) {
    StandardAttribute exact = BY_NAME.get(name);
    return exact != null
        ? Optional.of(exact)
        : Optional.ofNullable(BY_LOWER_NAME.get(name.toLowerCase(Locale.ROOT)));
  }
}
